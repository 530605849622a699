package org.brainstate4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@code .npz} or {@code .npy} file given to {@link Npz} is malformed or holds something this
 * library does not read (a dtype other than float32/float64, for instance). The message starts
 * with the file name, names the entry where there is one, and says what is wrong.
 */
public class InvalidArrayFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public InvalidArrayFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public InvalidArrayFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was refused. */
    public Path file() {
        return file;
    }
}
