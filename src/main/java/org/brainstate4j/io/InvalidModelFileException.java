package org.brainstate4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file given to {@link ModelFile#load} is not a complete, intact brainstate4j model file of a
 * format version this library reads: truncated, damaged, foreign, from a newer format, or without
 * the updater state that was asked for. The message starts with the file name and says what is
 * wrong; nothing was loaded.
 */
public class InvalidModelFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public InvalidModelFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public InvalidModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was refused. */
    public Path file() {
        return file;
    }
}
