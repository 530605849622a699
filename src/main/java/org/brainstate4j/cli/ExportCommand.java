package org.brainstate4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brainstate4j.io.InferenceExport;
import org.brainstate4j.io.ModelFile;
import org.brainstate4j.nn.Module;
import org.brainstate4j.train.Experiment;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.Trainer;
import org.brainstate4j.train.TrainingOptions;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write an inference-only model file from a trained one: weight standardization and masks "
                + "folded into plain kernels, parameters frozen, no training state.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    Main.Common common = new Main.Common();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Trained model file (default: models/<model>.bs4j)")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Inference file to write")
    Path output;

    @Override
    public Integer call() throws Exception {
        ModelKind kind = ModelKind.fromCliName(common.model);
        Path trained = file != null ? file : Trainer.modelFile(Path.of("models"), kind);
        TrainingOptions d = TrainingOptions.defaults(kind);
        Experiment experiment = Experiment.of(new TrainingOptions(kind, d.epochs(), d.batchSize(), d.learningRate(),
                d.seed(), common.width, d.outDir(), d.modelsDir(), common.data, 0, null));
        ModelFile.Loaded loaded = ModelFile.load(trained, false);
        org.brainstate4j.train.Evaluator.requireCompatible(trained, loaded.metadata(), experiment);
        Module module = experiment.buildModel();
        InferenceExport.copyTrainedParameters(loaded.sameDiff(), module, trained);
        InferenceExport.save(module, output, DataType.FLOAT, experiment.inputShape());
        System.out.println("inference model written: " + output + " (input '" + org.brainstate4j.nn.Inference.INPUT
                + "', output '" + org.brainstate4j.nn.Inference.OUTPUT + "')");
        return 0;
    }
}
