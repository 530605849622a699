package org.brainstate4j.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        // every line is made before the first is printed: an unusable manifest is refused in one line
        List<String> lines = new ArrayList<>();
        for (ModelKind k : ModelKind.values()) {
            lines.add(String.format(Locale.ROOT, "%-12s %s; defaults: %s, batch %d, learning rate %s", k.cliName(),
                    k.description(), count(k.defaultEpochs(), "epoch"), k.defaultBatchSize(), k.defaultLearningRate()));
            Optional<JsonObject> trained = registry.entry(k.cliName());
            if (trained.isPresent()) lines.add(String.format(Locale.ROOT, "%-12s trained: %s", "", trained(trained.get())));
        }
        lines.forEach(System.out::println);
        return 0;
    }

    /** "models/cnn.bs4j, 10 epochs, test accuracy 0.9133" from a manifest entry. */
    private String trained(JsonObject e) throws IOException {
        try {
            JsonObject metric = e.getAsJsonObject("metric");
            return String.format(Locale.ROOT, "%s, %s, %s %s %.4f", modelsDir.resolve(e.get("file").getAsString()),
                    count(e.get("epochs").getAsInt(), "epoch"), metric.get("split").getAsString(),
                    metric.get("name").getAsString(), metric.get("value").getAsDouble());
        } catch (RuntimeException bad) { // a missing or mistyped field
            throw new IOException("model manifest " + modelsDir.resolve("manifest.json") + ": the entry '"
                    + e.get("name").getAsString() + "' needs file, epochs and metric (split, name, value) as the trainer writes them");
        }
    }

    /** "1 epoch", "3 epochs". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
