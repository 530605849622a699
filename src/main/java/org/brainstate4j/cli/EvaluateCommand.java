package org.brainstate4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainstate4j.train.Evaluation;
import org.brainstate4j.train.Evaluator;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a saved model on the test split of its data.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    Main.Common common = new Main.Common();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Model file (default: models/<model>.bs4j)")
    Path file;

    @Override
    public Integer call() throws Exception {
        ModelKind kind = ModelKind.fromCliName(common.model);
        Path modelFile = file != null ? file : Trainer.modelFile(Path.of("models"), kind);
        Evaluation e = Evaluator.evaluate(kind, modelFile, common.data, common.width);
        System.out.printf(Locale.ROOT, "%s on the test split: %s %.4f (%d %s)%n", modelFile, e.metric(), e.value(),
                e.samples(), kind == ModelKind.AUTOENCODER ? "values" : kind.cliName().startsWith("cnn") ? "images" : "pixels");
        if (e.perClass() != null) {
            for (int c = 0; c < e.perClass().length; c++) {
                System.out.printf(Locale.ROOT, "  %-12s %.4f%n", e.classNames().get(c), e.perClass()[c]);
            }
        }
        return 0;
    }
}
