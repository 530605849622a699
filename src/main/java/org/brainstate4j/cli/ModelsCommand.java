package org.brainstate4j.cli;

import java.util.concurrent.Callable;
import org.brainstate4j.train.ModelKind;
import picocli.CommandLine.Command;

@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models that can be trained.")
final class ModelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (ModelKind k : ModelKind.values()) {
            System.out.printf("%-12s %s (defaults: %d epochs, batch %d, learning rate %s)%n", k.cliName(),
                    k.description(), k.defaultEpochs(), k.defaultBatchSize(), k.defaultLearningRate());
        }
        return 0;
    }
}
