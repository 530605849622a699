package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every model committed under {@code models/} reloads, is the file its manifest entry describes
 * (SHA-256) and reproduces its recorded test metric on the shipped test data. The models were trained
 * on the OneDNN build and are measured here on the generic one, so float round-off may flip a few
 * borderline predictions: accuracy and IoU within 0.002, MSE within 1%.
 */
class CommittedModelsTest {
    private static final Path MODELS = Path.of("models");
    private static final Path DATA = Path.of("data", "fashion-mnist");
    private static final List<String> EXPECTED = List.of("cnn", "cnn-ws", "autoencoder", "unet", "unet-ws");

    @TestFactory
    Stream<DynamicTest> committedModelsReproduceTheirMetric() throws IOException {
        ModelRegistry registry = new ModelRegistry(MODELS);
        assertTrue(Files.exists(registry.manifestPath()), "no " + registry.manifestPath() + ": the trained models are not committed");
        List<JsonObject> entries = new ArrayList<>();
        for (JsonElement e : registry.entries()) entries.add(e.getAsJsonObject());
        List<String> names = entries.stream().map(e -> e.get("name").getAsString()).toList();
        assertTrue(names.containsAll(EXPECTED), "manifest lists " + names + ", expected all of " + EXPECTED);
        return entries.stream().map(e -> DynamicTest.dynamicTest(e.get("name").getAsString(), () -> reproduce(e)));
    }

    private static void reproduce(JsonObject entry) throws IOException {
        Path file = MODELS.resolve(entry.get("file").getAsString());
        assertTrue(Files.exists(file), file + " is listed in the manifest but missing");
        assertEquals(entry.get("sha256").getAsString(), ModelRegistry.sha256(file), file + ": SHA-256 differs from the manifest");
        assertFalse(entry.has("trainLimit"), file + " was trained on a subset (--train-limit); commit a full run");

        ModelKind kind = ModelKind.fromCliName(entry.get("model").getAsString());
        int width = entry.has("width") ? entry.get("width").getAsInt() : TrainingOptions.defaults(kind).width();
        Evaluation measured = Evaluator.evaluate(kind, file, DATA, width);

        JsonObject metric = entry.getAsJsonObject("metric");
        assertEquals(metric.get("name").getAsString(), measured.metric(), file + ": metric name");
        double recorded = metric.get("value").getAsDouble();
        double tolerance = measured.higherIsBetter() ? 0.002 : 0.01 * Math.abs(recorded);
        assertEquals(recorded, measured.value(), tolerance, String.format(Locale.ROOT,
                "%s: recorded %s %.5f, measured %.5f", file, measured.metric(), recorded, measured.value()));
    }
}
