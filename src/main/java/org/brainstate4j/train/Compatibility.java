package org.brainstate4j.train;

import java.nio.file.Path;
import java.util.Map;
import org.brainstate4j.io.InvalidModelFileException;

/** Checks that a saved model file holds the model the user chose. */
final class Compatibility {
    private Compatibility() {}

    /** Every setting in {@code expected} must equal the file's metadata value. */
    static void require(Path file, Map<String, String> saved, Map<String, String> expected) throws InvalidModelFileException {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String found = saved.get(e.getKey());
            if (!e.getValue().equals(found)) {
                throw new InvalidModelFileException(file, String.format(
                        "it holds a model with %s=%s, but the chosen model has %s=%s (saved settings: %s)",
                        e.getKey(), found, e.getKey(), e.getValue(), saved));
            }
        }
    }
}
