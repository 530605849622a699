package org.brainstate4j.train;

import java.io.IOException;
import java.nio.file.Path;
import org.brainstate4j.io.InferenceExport;
import org.brainstate4j.io.ModelFile;
import org.brainstate4j.nn.Module;

/** A model file's network as a module again: built from its kind's experiment, given the trained values. */
public final class TrainedModels {
    private TrainedModels() {}

    /** The module and the experiment it belongs to. */
    public record Trained(Module module, Experiment experiment) {}

    /**
     * Loads {@code file} (checked to hold {@code kind} with this {@code width}) and returns a fresh module
     * of that kind carrying the file's trained parameters, plus the experiment (seeded as the file
     * records, so its composed test data are the ones the model was measured on).
     */
    public static Trained load(ModelKind kind, Path file, int width, Path dataDir) throws IOException {
        TrainingOptions d = TrainingOptions.defaults(kind);
        String seed = ModelFile.readManifest(file).metadata().get("seed");
        Experiment experiment = Experiment.of(new TrainingOptions(kind, d.epochs(), d.batchSize(), d.learningRate(),
                seed == null ? d.seed() : Long.parseLong(seed), width, d.outDir(), d.modelsDir(), dataDir, 0, null));
        ModelFile.Loaded loaded = ModelFile.load(file, false);
        Compatibility.require(file, loaded.metadata(), experiment.modelSettings());
        Module module = experiment.buildModel();
        InferenceExport.copyTrainedParameters(loaded.sameDiff(), module, file);
        return new Trained(module, experiment);
    }
}
