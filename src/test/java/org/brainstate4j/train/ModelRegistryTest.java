package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.brainstate4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The manifest is checked against the model files on every read and repaired from the entries they carry. */
class ModelRegistryTest {
    @TempDir
    Path dir;

    private static SameDiff graph(float value) {
        SameDiff sd = SameDiff.create();
        sd.var("w", Nd4j.valueArrayOf(new long[] {3}, value, DataType.FLOAT));
        return sd;
    }

    /** What a save killed between the model's rename and the manifest's leaves: the new model, the old entry. */
    private void modelSavedButNotRecorded(int i) throws Exception {
        ModelFile.save(graph(i), dir.resolve("m.bs4j"), false,
                Map.of(ModelRegistry.ENTRY_METADATA, RegistryChild.entry(i).toString()));
    }

    @Test
    void anEntryOverwrittenByANewerModelIsRepaired() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir);
        registry.save(graph(1), false, Map.of(), RegistryChild.entry(1));
        modelSavedButNotRecorded(2);
        String before = Files.readString(registry.manifestPath());
        JsonObject entry = registry.entry("m").orElseThrow();
        assertEquals(2, entry.get("seed").getAsInt());
        assertEquals(ModelRegistry.sha256(dir.resolve("m.bs4j")), entry.get("sha256").getAsString());
        assertFalse(before.equals(Files.readString(registry.manifestPath())), "the file on disk is repaired too");
    }

    @Test
    void aModelKilledBeforeItsFirstEntryIsAdded() throws Exception {
        modelSavedButNotRecorded(5);
        ModelRegistry registry = new ModelRegistry(dir);
        assertEquals(5, registry.entry("m").orElseThrow().get("seed").getAsInt());
        assertEquals(1, registry.entries().size());
    }

    @Test
    void filesWithoutAnEmbeddedEntryAreLeftAsListed() throws Exception {
        ModelFile.save(graph(1), dir.resolve("plain.bs4j"), false, Map.of());
        ModelRegistry registry = new ModelRegistry(dir);
        assertEquals(0, registry.entries().size(), "not added: it carries no entry");
        JsonObject listed = RegistryChild.entry(9);
        listed.addProperty("name", "plain");
        listed.addProperty("file", "plain.bs4j");
        listed.addProperty("sha256", "0".repeat(64));
        registry.put(listed);
        assertEquals("0".repeat(64), registry.entry("plain").orElseThrow().get("sha256").getAsString(), "nothing to repair it from");
    }
}
