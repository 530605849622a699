package org.brainstate4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.Trainer;
import org.brainstate4j.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model end to end: prints the test metric, saves the model under the models "
                + "directory (listed in its manifest.json) and writes PNG plots to the output directory.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    Main.Common common = new Main.Common();

    @Option(names = {"-e", "--epochs"}, paramLabel = "N", description = "Epochs (default: the model's; cnn 10, cnn-ws 5, autoencoder 8, unet 7, unet-ws 2)")
    Integer epochs;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "Batch size (default: the model's)")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam learning rate at the start; it decays to a tenth over the run (default: the model's)")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed for weights and data order (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where plots go (default: out/<model>)")
    Path out;

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models",
            description = "Where the trained model and manifest.json go (default: ${DEFAULT-VALUE})")
    Path modelsDir;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
            description = "Train on the first N training samples only (0 = all; for quick runs)")
    int trainLimit;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue training a saved model file of the chosen model")
    Path resume;

    @Override
    public Integer call() throws Exception {
        ModelKind kind = ModelKind.fromCliName(common.model);
        TrainingOptions options = new TrainingOptions(kind,
                epochs != null ? epochs : kind.defaultEpochs(),
                batchSize != null ? batchSize : kind.defaultBatchSize(),
                learningRate != null ? learningRate : kind.defaultLearningRate(),
                seed, common.width, out != null ? out : Path.of("out", kind.cliName()), modelsDir, common.data,
                trainLimit, resume);
        new Trainer(options, System.out).run();
        return 0;
    }
}
