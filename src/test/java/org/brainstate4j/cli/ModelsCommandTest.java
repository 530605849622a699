package org.brainstate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.brainstate4j.train.CommittedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code models}: what can be trained, with its defaults, and what the manifest lists as trained, for
 * whatever training left in models/ and for the committed models (as git's HEAD holds them).
 */
class ModelsCommandTest {
    @Test
    void listsKindsWithDefaultsAndTheTrainedModels() throws IOException {
        // whatever the main job or train left in models/: each line says what its manifest entry says
        MainTest.Run r = MainTest.run("models");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(10, lines.size(), r.out()); // five kinds, each trained in models/
        assertTrue(lines.get(8).startsWith("unet-ws ") && lines.get(8).contains("defaults: 2 epochs, batch 16"), lines.get(8));
        assertTrue(lines.get(0).contains("defaults: 10 epochs, batch 64"), lines.get(0));
        JsonArray manifest = JsonParser.parseString(Files.readString(Path.of("models", "manifest.json")))
                .getAsJsonObject().getAsJsonArray("models");
        for (int k = 0; k < 5; k++) {
            String kind = lines.get(2 * k).split(" ")[0];
            JsonObject e = manifest.asList().stream().map(JsonElement::getAsJsonObject)
                    .filter(m -> m.get("name").getAsString().equals(kind)).findFirst().orElseThrow();
            JsonObject metric = e.getAsJsonObject("metric");
            assertEquals(String.format(Locale.ROOT, "trained: %s, %s, %s %s %.4f", Path.of("models", e.get("file").getAsString()),
                    ModelsCommand.count(e.get("epochs").getAsInt(), "epoch"), metric.get("split").getAsString(),
                    metric.get("name").getAsString(), metric.get("value").getAsDouble()), lines.get(2 * k + 1).strip());
        }
    }

    @Test
    void theCommittedCnnIsTheReadmesRun() {
        // docs/command-line.md "Results": 10 epochs, test accuracy 0.9133 (read from git's HEAD, whatever was trained since)
        Path committed = CommittedModels.dir();
        MainTest.Run r = MainTest.run("models", "--models-dir", committed.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("trained: " + committed.resolve("cnn.bs4j") + ", 10 epochs, test accuracy 0.9133",
                r.out().lines().toList().get(1).strip());
    }

    @Test
    void oneEpochIsSingular() { // no default is 1 epoch since unet-ws trains 2, but `-e 1` models are listed
        assertEquals("1 epoch", ModelsCommand.count(1, "epoch"));
        assertEquals("2 epochs", ModelsCommand.count(2, "epoch"));
    }

    @Test
    void anEmptyModelsDirectoryListsOnlyTheKinds(@TempDir Path dir) {
        MainTest.Run r = MainTest.run("models", "--models-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(5, r.out().lines().count(), r.out());
    }
}
