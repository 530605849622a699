package org.brainstate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models}: what can be trained, with its defaults, and what the manifest lists as trained. */
class ModelsCommandTest {
    @Test
    void listsKindsWithDefaultsAndTheCommittedModels() {
        MainTest.Run r = MainTest.run("models");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(10, lines.size(), r.out()); // five kinds, each trained in models/
        assertTrue(lines.get(8).startsWith("unet-ws ") && lines.get(8).contains("defaults: 2 epochs, batch 16"), lines.get(8));
        assertTrue(lines.get(0).contains("defaults: 10 epochs, batch 64"), lines.get(0));
        assertEquals("trained: " + Path.of("models", "cnn.bs4j") + ", 10 epochs, test accuracy 0.9133", lines.get(1).strip());
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
