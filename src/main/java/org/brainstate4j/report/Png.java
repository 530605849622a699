package org.brainstate4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.brainstate4j.AtomicFiles;

/** PNG writing through {@link AtomicFiles}: a crash never leaves a half-written picture. */
final class Png {
    private Png() {}

    static void write(Path png, BufferedImage image) {
        if (png == null) {
            throw new IllegalArgumentException("png path must not be null");
        }
        Path target = png.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            AtomicFiles.write(target, out -> {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer for image type " + image.getType());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        }
    }
}
