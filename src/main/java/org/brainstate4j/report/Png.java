package org.brainstate4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.imageio.ImageIO;

/** Atomic PNG writing: temp file in the target's directory, then one atomic rename over the target. */
final class Png {
    /** Temporary files are named {@code .<target name>.<random>.tmp}. */
    static final String TEMP_SUFFIX = ".tmp";

    private Png() {}

    static void write(Path png, BufferedImage image) {
        if (png == null) {
            throw new IllegalArgumentException("png path must not be null");
        }
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
            // Same directory, so the rename is atomic on POSIX file systems; no non-atomic fallback on purpose.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original exception matters more
                }
            }
        }
    }
}
