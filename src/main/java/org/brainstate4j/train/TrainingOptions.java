package org.brainstate4j.train;

import static org.brainstate4j.Checks.checkArgument;

import java.nio.file.Path;

/**
 * Everything one training run is told. Validated on construction so that an impossible option is
 * refused before any data is read or any file is written.
 *
 * @param width U-Net base channels (ignored by the other models)
 * @param trainLimit use only the first N training samples (0 = all); for quick runs
 * @param resumeFrom a saved model to continue training from, or null
 */
public record TrainingOptions(ModelKind kind, int epochs, int batchSize, double learningRate, long seed, int width,
                              Path outDir, Path modelsDir, Path dataDir, int trainLimit, Path resumeFrom) {
    public TrainingOptions {
        checkArgument(kind != null, "model must be given");
        checkArgument(epochs >= 1, "epochs (=%s) must be at least 1", epochs);
        checkArgument(batchSize >= 1, "batch size (=%s) must be at least 1", batchSize);
        checkArgument(learningRate > 0 && Double.isFinite(learningRate),
                "learning rate (=%s) must be positive", learningRate);
        checkArgument(width >= 8 && width % 8 == 0, "width (=%s) must be a positive multiple of 8", width);
        checkArgument(trainLimit >= 0, "train limit (=%s) must not be negative", trainLimit);
        checkArgument(outDir != null && modelsDir != null && dataDir != null, "directories must be given");
    }

    /** The defaults of {@code kind}: its epochs, batch size and learning rate; seed 42; width 16. */
    public static TrainingOptions defaults(ModelKind kind) {
        return new TrainingOptions(kind, kind.defaultEpochs(), kind.defaultBatchSize(), kind.defaultLearningRate(), 42,
                16, Path.of("out", kind.cliName()), Path.of("models"), Path.of("data", "fashion-mnist"), 0, null);
    }
}
