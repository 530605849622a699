package org.brainstate4j.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.ImageInput;
import org.brainstate4j.io.ModelFile;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A saved classifier ({@code cnn}, {@code cnn-ws}) or U-Net ({@code unet}, {@code unet-ws}) applied to
 * pictures: {@link ImageInput} converts each one as the training data was, the graph runs, and the
 * result comes back with the class names of the model's data.
 */
public final class Predictor {
    /** A class and the probability the classifier gives it. */
    public record ClassScore(String className, double probability) {}

    private final ModelKind kind;
    private final SameDiff sd;
    private final long[] inputShape;
    private final List<String> classNames;

    private Predictor(ModelKind kind, SameDiff sd, long[] inputShape, List<String> classNames) {
        this.kind = kind;
        this.sd = sd;
        this.inputShape = inputShape;
        this.classNames = classNames;
    }

    /**
     * Loads {@code file}, which must hold a model of {@code kind}.
     *
     * @throws IllegalArgumentException if {@code kind} is neither a classifier nor a U-Net
     * @throws org.brainstate4j.io.InvalidModelFileException if the file is unreadable or holds another model
     */
    public static Predictor load(ModelKind kind, Path file) throws IOException {
        List<String> names = switch (kind) {
            case CNN, CNN_WS -> FashionMnist.CLASS_NAMES;
            case UNET, UNET_WS -> SegmentationExperiment.TAXONOMY.classNames();
            case AUTOENCODER -> throw new IllegalArgumentException("model (=" + kind
                    + ") must be a classifier (cnn, cnn-ws) or a U-Net (unet, unet-ws): predict classifies or segments");
        };
        ModelFile.Loaded loaded = ModelFile.load(file, false);
        Compatibility.require(file, loaded.metadata(), Map.of("model", kind.cliName()));
        long[] shape = parseShape(file, loaded.metadata().get("inputShape"));
        return new Predictor(kind, loaded.sameDiff(), shape, names);
    }

    ModelKind kind() {
        return kind;
    }

    /** The class names, in the order of the model's outputs. */
    public List<String> classNames() {
        return classNames;
    }

    /** Per-sample input shape {@code [height, width, channels]}. */
    long[] inputShape() {
        return inputShape.clone();
    }

    /** The {@code top} most probable classes of {@code image} (softmax over the logits), most probable first. */
    public List<ClassScore> classify(BufferedImage image, int top) {
        requireKind(kind == ModelKind.CNN || kind == ModelKind.CNN_WS, "classify");
        double[] logits = run(image).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = 0;
        double[] p = new double[logits.length];
        for (int c = 0; c < p.length; c++) sum += p[c] = Math.exp(logits[c] - max);
        List<ClassScore> scores = new ArrayList<>();
        for (int c = 0; c < p.length; c++) scores.add(new ClassScore(classNames.get(c), p[c] / sum));
        scores.sort(Comparator.comparingDouble(ClassScore::probability).reversed());
        return scores.subList(0, Math.min(top, scores.size()));
    }

    /** The most probable class of every pixel of {@code image} at the model's input size, {@code [height][width]}. */
    public int[][] segment(BufferedImage image) {
        requireKind(kind == ModelKind.UNET || kind == ModelKind.UNET_WS, "segment");
        INDArray out = run(image); // [1, H, W, K] logits
        int h = (int) inputShape[0], w = (int) inputShape[1], k = (int) out.size(3);
        float[] logits = out.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        int[][] classes = new int[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = (y * w + x) * k, best = 0;
                for (int c = 1; c < k; c++) if (logits[base + c] > logits[base + best]) best = c;
                classes[y][x] = best;
            }
        }
        return classes;
    }

    /** {@code image} converted as the model's input, {@code [1, height, width, channels]}. */
    public INDArray input(BufferedImage image) {
        return ImageInput.toInput(image, (int) inputShape[0], (int) inputShape[1], (int) inputShape[2]);
    }

    private INDArray run(BufferedImage image) {
        return Evaluations.output(sd, input(image));
    }

    private void requireKind(boolean ok, String what) {
        if (!ok) throw new IllegalArgumentException("model " + kind + " cannot " + what);
    }

    private static long[] parseShape(Path file, String text) throws IOException {
        try {
            long[] shape = Arrays.stream(text.replaceAll("[\\[\\]\\s]", "").split(",")).mapToLong(Long::parseLong).toArray();
            if (shape.length != 3) throw new NumberFormatException("rank " + shape.length);
            return shape;
        } catch (RuntimeException e) {
            throw new org.brainstate4j.io.InvalidModelFileException(file,
                    "its inputShape metadata (=" + text + ") is not [height, width, channels]");
        }
    }
}
