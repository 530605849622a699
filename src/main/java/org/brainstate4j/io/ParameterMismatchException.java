package org.brainstate4j.io;

import java.io.IOException;
import java.util.List;

/**
 * The parameters in a file do not fit a module: names missing or unexpected, or shapes that differ.
 * Thrown by {@link ParameterExchange#load} before anything is assigned. The message lists every
 * problem; the lists are also available one by one.
 */
public class ParameterMismatchException extends IOException {
    private static final long serialVersionUID = 1L;
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> shapeMismatches;

    ParameterMismatchException(String message, List<String> missing, List<String> unexpected, List<String> shapeMismatches) {
        super(message);
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.shapeMismatches = List.copyOf(shapeMismatches);
    }

    /** Parameter paths the module has and the source lacks. */
    public List<String> missing() {
        return missing;
    }

    /** Paths in the source that the module does not have. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** One line per parameter whose shape differs, e.g. {@code enc1/weight: file [3, 3, 3, 8] vs module [3, 3, 3, 6]}. */
    public List<String> shapeMismatches() {
        return shapeMismatches;
    }
}
