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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every model committed under {@code models/} reloads, is the file its manifest entry describes
 * (SHA-256), is a full run (no {@code --train-limit}) and reproduces its recorded test metric on the
 * shipped test data. The committed models are read as git's HEAD holds them ({@link CommittedModels}),
 * so a model the main job or {@code train} has since written over one of them does not stand in for
 * it; each such retrained model is re-measured against the metric its own manifest entry records,
 * which any model the trainer saved must reproduce, trained on a subset or not.
 *
 * <p>The committed models were trained on the OneDNN build and are measured here on the generic one,
 * so float round-off may flip a few borderline predictions: accuracy and IoU within 0.002, MSE within 1%.
 */
class CommittedModelsTest {
    private static final Path MODELS = Path.of("models");
    private static final Path DATA = Path.of("data", "fashion-mnist");
    private static final List<String> EXPECTED = List.of("cnn", "cnn-ws", "autoencoder", "unet", "unet-ws");

    @TestFactory
    Stream<DynamicTest> committedModelsReproduceTheirMetric() throws IOException {
        Path committed = CommittedModels.dir();
        List<JsonObject> entries = entries(committed);
        List<String> names = entries.stream().map(e -> e.get("name").getAsString()).toList();
        assertTrue(names.containsAll(EXPECTED), "the committed manifest lists " + names + ", expected all of " + EXPECTED);
        return entries.stream().map(e -> DynamicTest.dynamicTest(e.get("name").getAsString(), () -> {
            assertFalse(e.has("trainLimit"), e.get("file").getAsString()
                    + " was trained on a subset (--train-limit); commit a full run");
            reproduce(committed, e);
        }));
    }

    /**
     * The models in the working tree's {@code models/} that are not the committed ones (all of them
     * outside a git checkout): whatever the main job or {@code train} left there.
     */
    @TestFactory
    Stream<DynamicTest> retrainedModelsReproduceTheirOwnMetric() throws IOException {
        Optional<Path> committed = CommittedModels.find();
        Map<String, String> committedSha = new HashMap<>();
        if (committed.isPresent()) {
            for (JsonObject e : entries(committed.get())) committedSha.put(e.get("name").getAsString(), e.get("sha256").getAsString());
        }
        return entries(MODELS).stream()
                .filter(e -> !e.get("sha256").getAsString().equals(committedSha.get(e.get("name").getAsString())))
                .map(e -> DynamicTest.dynamicTest(e.get("name").getAsString(), () -> reproduce(MODELS, e)));
    }

    private static List<JsonObject> entries(Path dir) throws IOException {
        ModelRegistry registry = new ModelRegistry(dir);
        assertTrue(Files.exists(registry.manifestPath()), "no " + registry.manifestPath() + ": the trained models are not there");
        List<JsonObject> entries = new ArrayList<>();
        for (JsonElement e : registry.entries()) entries.add(e.getAsJsonObject());
        return entries;
    }

    private static void reproduce(Path dir, JsonObject entry) throws IOException {
        Path file = dir.resolve(entry.get("file").getAsString());
        assertTrue(Files.exists(file), file + " is listed in the manifest but missing");
        assertEquals(entry.get("sha256").getAsString(), ModelRegistry.sha256(file), file + ": SHA-256 differs from the manifest");

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
