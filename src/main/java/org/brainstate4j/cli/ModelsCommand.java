package org.brainstate4j.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models that can be trained, their defaults, and the trained ones the models directory's manifest.json lists.")
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models",
            description = "Where the trained models and manifest.json are (default: ${DEFAULT-VALUE})")
    Path modelsDir;

    @Override
    public Integer call() throws Exception {
        ModelRegistry registry = new ModelRegistry(modelsDir);
        for (ModelKind k : ModelKind.values()) {
            System.out.printf(Locale.ROOT, "%-12s %s; defaults: %s, batch %d, learning rate %s%n", k.cliName(),
                    k.description(), count(k.defaultEpochs(), "epoch"), k.defaultBatchSize(), k.defaultLearningRate());
            Optional<JsonObject> trained = registry.entry(k.cliName());
            if (trained.isPresent()) {
                JsonObject e = trained.get();
                JsonObject metric = e.getAsJsonObject("metric");
                System.out.printf(Locale.ROOT, "%-12s trained: %s, %s, %s %s %.4f%n", "",
                        modelsDir.resolve(e.get("file").getAsString()), count(e.get("epochs").getAsInt(), "epoch"),
                        metric.get("split").getAsString(), metric.get("name").getAsString(), metric.get("value").getAsDouble());
            }
        }
        return 0;
    }

    /** "1 epoch", "3 epochs". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
