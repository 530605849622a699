package org.brainstate4j.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.brainstate4j.data.SegmentationSet;
import org.brainstate4j.data.SegmentationSplit;

/**
 * The sample pictures shipped in {@code data/samples/} for the {@code predict} example of docs/command-line.md: which
 * test images they are, and ({@link #main}) the program that wrote them. {@code SampleImagesTest}
 * checks that the committed files still are exactly these images.
 */
public final class SampleImages {
    static final Path DIR = Path.of("data", "samples");
    /** Fashion-MNIST test images (the classifier never saw them). */
    static final int[] FASHION_TEST = {0, 1, 2};
    /** Canvases of the segmentation test split of the committed U-Net (seed 42), composed from test images. */
    static final int[] CANVAS_TEST = {0, 1};
    static final long UNET_SEED = 42;

    private SampleImages() {}

    /** File name → picture, in a fixed order. */
    static Map<String, BufferedImage> all() throws IOException {
        Map<String, BufferedImage> out = new LinkedHashMap<>();
        LabelledImages test = FashionMnist.test();
        for (int i : FASHION_TEST) {
            String cls = test.classNames().get(test.label(i)).toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "-");
            out.put(String.format(Locale.ROOT, "fashion-test-%04d-%s.png", i, cls), grey(test.rawImage(i), test.rows(), test.cols()));
        }
        SegmentationSplit canvases = unetTestSplit();
        for (int i : CANVAS_TEST) {
            out.put(String.format(Locale.ROOT, "canvas-test-%04d.png", i), rgb(canvases.canvas(i), canvases.height(), canvases.width()));
        }
        return out;
    }

    /** The committed U-Net's test canvases (the training canvases are not composed: a limit of 1). */
    public static SegmentationSplit unetTestSplit() throws IOException {
        TrainingOptions d = TrainingOptions.defaults(ModelKind.UNET);
        SegmentationExperiment e = new SegmentationExperiment(new TrainingOptions(ModelKind.UNET, d.epochs(), d.batchSize(),
                d.learningRate(), UNET_SEED, 16, d.outDir(), d.modelsDir(), FashionMnist.defaultDirectory(), 1, null));
        e.loadData();
        return e.testSplit();
    }

    private static BufferedImage grey(byte[] pixels, int rows, int cols) {
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) img.getRaster().setSample(c, r, 0, pixels[r * cols + c] & 0xFF);
        }
        return img;
    }

    private static BufferedImage rgb(SegmentationSet.Canvas canvas, int h, int w) {
        float[] px = canvas.image(); // HWC, RGB in [0, 1]
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = 3 * (y * w + x);
                img.setRGB(x, y, (byte255(px[p]) << 16) | (byte255(px[p + 1]) << 8) | byte255(px[p + 2]));
            }
        }
        return img;
    }

    static int byte255(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    /** Writes the samples into {@code data/samples/} (run from the project root). */
    public static void main(String[] args) throws IOException {
        Files.createDirectories(DIR);
        for (Map.Entry<String, BufferedImage> e : all().entrySet()) {
            ImageIO.write(e.getValue(), "png", DIR.resolve(e.getKey()).toFile());
            System.out.println("wrote " + DIR.resolve(e.getKey()));
        }
    }
}
