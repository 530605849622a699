package org.brainstate4j.train;

import java.io.IOException;
import java.nio.file.Path;
import org.brainstate4j.io.ModelFile;

/** Measures a saved model file on the test split of its experiment's data. */
public final class Evaluator {
    private Evaluator() {}

    /** Loads {@code file}, checks it holds {@code kind} (input shape, width), evaluates it on the test split. */
    public static Evaluation evaluate(ModelKind kind, Path file, Path dataDir, int width) throws IOException {
        return evaluate(kind, file, dataDir, width, null);
    }

    /**
     * As {@link #evaluate(ModelKind, Path, Path, int)}, and writes the experiment's test pictures
     * (confusion matrix, reconstructions or segmentation overlays) into {@code picturesDir} unless null.
     */
    public static Evaluation evaluate(ModelKind kind, Path file, Path dataDir, int width, Path picturesDir)
            throws IOException {
        TrainingOptions defaults = TrainingOptions.defaults(kind);
        TrainingOptions options = new TrainingOptions(kind, defaults.epochs(), defaults.batchSize(),
                defaults.learningRate(), seedOf(file), width, defaults.outDir(), defaults.modelsDir(), dataDir, 0, null);
        Experiment experiment = Experiment.of(options);
        ModelFile.Loaded loaded = ModelFile.load(file, false);
        Compatibility.require(file, loaded.metadata(), experiment.modelSettings());
        experiment.loadData();
        Evaluation test = experiment.evaluate(loaded.sameDiff(), experiment.testIterator());
        if (picturesDir != null) experiment.writePictures(picturesDir, loaded.sameDiff(), test);
        return test;
    }

    /** The training seed recorded in the file: the composed data sets depend on it. */
    private static long seedOf(Path file) throws IOException {
        String seed = ModelFile.readManifest(file).metadata().get("seed");
        return seed == null ? TrainingOptions.defaults(ModelKind.CNN).seed() : Long.parseLong(seed);
    }
}
