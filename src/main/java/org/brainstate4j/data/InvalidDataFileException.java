package org.brainstate4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file exists and could be opened but its content is not what it should be: bad magic
 * number, unsupported element type, a truncated or over-long body, a label out of range, or an
 * images file and a labels file that disagree. The message always starts with the file's path and
 * then says what is wrong, e.g.
 * {@code "Invalid IDX file data/x-labels-idx1-ubyte.gz: label 11 at item 5 is outside 0..9"}.
 */
public class InvalidDataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public InvalidDataFileException(Path file, String problem) {
        this(file, problem, null);
    }

    public InvalidDataFileException(Path file, String problem, Throwable cause) {
        super("Invalid IDX file " + file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The offending file, as the caller named it. */
    public Path getFile() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String getProblem() {
        return problem;
    }
}
