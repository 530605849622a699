package org.brainstate4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Writes PNG previews of segmentation canvases to {@code target/}: the top row shows canvases, the
 * row under it their label maps (background black, one fixed colour per class, white 1-pixel
 * outlines between labels). Also runnable as a program: {@code main} writes the same files.
 */
class SegmentationPreviewTest {
    /** Label colours: background black, then distinct hues. */
    private static final int[] PALETTE = {
        0x000000, 0xe6194b, 0x3cb44b, 0xffe119, 0x4363d8, 0xf58231, 0x911eb4, 0x46f0f0, 0xf032e6, 0xbcf60c, 0xfabebe};

    @Test
    void writesPreviews() throws IOException {
        Path out = writePreviews(Path.of("target"));
        assertEquals(true, Files.size(out) > 1000);
    }

    public static void main(String[] args) throws IOException {
        writePreviews(Path.of(args.length > 0 ? args[0] : "target"));
    }

    static Path writePreviews(Path dir) throws IOException {
        Files.createDirectories(dir);
        SegmentationSet fine64 = SegmentationSet.builder().sizes(8, 0, 0).seed(1)
                .build(Shipped.train().first(2_000), Shipped.test().first(100));
        write(fine64.train(), 8, 3, dir.resolve("segmentation-preview-64-fine.png"));
        SegmentationSet coarse128 = SegmentationSet.builder().canvasSize(128).objectsPerCanvas(2, 6).scale(1.0, 2.0)
                .taxonomy(Taxonomy.COARSE).sizes(0, 0, 4).seed(2)
                .build(Shipped.train().first(100), Shipped.test().first(2_000));
        return write(coarse128.test(), 4, 2, dir.resolve("segmentation-preview-128-coarse.png"));
    }

    private static Path write(SegmentationSplit split, int n, int zoom, Path file) throws IOException {
        int h = split.height();
        int w = split.width();
        int gap = 4;
        BufferedImage img = new BufferedImage(n * (w * zoom + gap), 2 * (h * zoom + gap), BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < n; i++) {
            SegmentationSet.Canvas c = split.canvas(i);
            int x0 = i * (w * zoom + gap);
            for (int y = 0; y < h * zoom; y++) {
                for (int x = 0; x < w * zoom; x++) {
                    int q = (y / zoom) * w + x / zoom;
                    int r = Math.round(c.image()[3 * q] * 255);
                    int g = Math.round(c.image()[3 * q + 1] * 255);
                    int b = Math.round(c.image()[3 * q + 2] * 255);
                    img.setRGB(x0 + x, y, (r << 16) | (g << 8) | b);
                    int label = c.labels()[q];
                    boolean edge = (x % zoom == 0 && x / zoom > 0 && c.labels()[q - 1] != label)
                            || (y % zoom == 0 && y / zoom > 0 && c.labels()[q - w] != label);
                    img.setRGB(x0 + x, h * zoom + gap + y, edge ? 0xffffff : PALETTE[label % PALETTE.length]);
                }
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
