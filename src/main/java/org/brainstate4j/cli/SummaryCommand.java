package org.brainstate4j.cli;

import java.util.concurrent.Callable;
import org.brainstate4j.train.Experiment;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers, output shapes and parameter counts (Keras-style).")
final class SummaryCommand implements Callable<Integer> {
    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() {
        ModelKind kind = ModelKind.fromCliName(common.model);
        TrainingOptions defaults = TrainingOptions.defaults(kind);
        TrainingOptions options = new TrainingOptions(kind, defaults.epochs(), defaults.batchSize(),
                defaults.learningRate(), defaults.seed(), common.width, defaults.outDir(), defaults.modelsDir(),
                common.data, 0, null);
        Experiment e = Experiment.of(options);
        System.out.print(org.brainstate4j.nn.Summary.of(e.buildModel(),
                org.nd4j.linalg.api.buffer.DataType.FLOAT, e.inputShape()));
        return 0;
    }
}
