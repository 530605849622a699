package org.brainstate4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.brainstate4j.nn.Module;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One kind of training run: the model, its data, its loss and how it is evaluated and pictured.
 * {@link Trainer} runs every experiment with the same loop.
 */
public abstract class Experiment {
    /** Placeholder names shared by every training graph (and saved with the model). */
    public static final String INPUT = "input";
    static final String LABEL = "label";
    public static final String OUTPUT = "output";
    static final String LOSS = "loss";

    final TrainingOptions options;

    Experiment(TrainingOptions options) {
        this.options = options;
    }

    /** The experiment for {@code options.kind()}. */
    public static Experiment of(TrainingOptions options) {
        return switch (options.kind()) {
            case CNN, CNN_WS -> new ClassificationExperiment(options);
            case AUTOENCODER -> new ReconstructionExperiment(options);
            case UNET, UNET_WS -> new SegmentationExperiment(options);
        };
    }

    /** Reads (or composes) the data; refuses missing or malformed files with the file named. */
    abstract void loadData() throws IOException;

    /** A new model with freshly initialized parameters. */
    public abstract Module buildModel();

    /** Per-sample input shape. */
    public abstract long[] inputShape();

    /** Per-sample label shape. */
    abstract long[] labelShape();

    /** The scalar loss to minimize, named {@code LOSS}. */
    abstract SDVariable loss(SameDiff sd, SDVariable label, SDVariable output);

    abstract DataSetIterator trainIterator();

    abstract DataSetIterator validationIterator();

    abstract DataSetIterator testIterator();

    /** Number of training samples per epoch. */
    abstract int trainSize();

    /** Title of the loss axis of the training curves: the loss and its unit, e.g. "loss (cross-entropy per image)". */
    abstract String lossAxisTitle();

    /**
     * Whether the validation metric is a fraction from 0 to 1 (accuracy, IoU), plotted in a panel of its own
     * against a 0-1 axis; if not, it is measured like the loss (the autoencoder's MSE) and shares its axis.
     */
    abstract boolean metricIsFraction();

    /** Evaluates the graph's {@link #OUTPUT} on every batch of {@code data}. */
    abstract Evaluation evaluate(SameDiff sd, DataSetIterator data);

    /** Writes the task's pictures (confusion matrix, reconstructions, overlays) into {@code dir}. */
    abstract void writePictures(Path dir, SameDiff sd, Evaluation test) throws IOException;

    /** What the data was, for the model manifest. */
    abstract String dataDescription();

    /** The model's settings, saved with it so a file can be checked against a chosen model. */
    Map<String, String> modelSettings() {
        return Map.of("model", options.kind().cliName(),
                "inputShape", java.util.Arrays.toString(inputShape()),
                "outputShape", java.util.Arrays.toString(labelShape()),
                "width", options.kind() == ModelKind.UNET || options.kind() == ModelKind.UNET_WS
                        ? Integer.toString(options.width()) : "-");
    }

    /** The training run's seed, derived per use so data order and weights do not share a stream. */
    long seed(long salt) {
        return options.seed() * 1_000_003L + salt;
    }
}
