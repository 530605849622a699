package org.brainstate4j.io;

import static org.brainstate4j.io.TestModels.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Round trips of {@link ModelFile} with a real trained model: bit identity, fresh JVM, continued training. */
class ModelFileTest {
    @TempDir
    Path dir;

    static Stream<Arguments> matrix() {
        return Stream.of(Arguments.of(DataType.FLOAT, true), Arguments.of(DataType.FLOAT, false),
                Arguments.of(DataType.DOUBLE, true), Arguments.of(DataType.DOUBLE, false));
    }

    @ParameterizedTest(name = "{0}, updater state {1}")
    @MethodSource("matrix")
    void reloadedModelGivesBitIdenticalOutputs(DataType dt, boolean withUpdaterState) throws Exception {
        TestModels.Model m = TestModels.build(dt, 11);
        m.fit(3);
        INDArray before = m.output();
        Path file = dir.resolve("model.bs4j");

        Manifest written = ModelFile.save(m.sd(), file, withUpdaterState, Map.of("model", "TestModels", "lr", "0.01"));
        ModelFile.Loaded loaded = ModelFile.load(file, withUpdaterState);

        assertBitIdentical(before, TestModels.Model.output(loaded.sameDiff(), m.x()), "output after reload");
        assertEquals(written, loaded.manifest());
        assertEquals(Map.of("model", "TestModels", "lr", "0.01"), loaded.metadata());
        assertEquals(withUpdaterState, loaded.manifest().updaterState());
        assertEquals(dt.name(), loaded.manifest().dataType());
        assertEquals("Adam", loaded.manifest().updater());
        // Every trainable variable (the module's live parameters and the head) comes back bit for bit.
        m.encoder().parameters().forEach((path, value) ->
                assertBitIdentical(value, loaded.sameDiff().getArrForVarName("net/" + path), path));
        List<String> names = loaded.manifest().trainableVariables().stream().map(Manifest.Variable::name).toList();
        assertEquals(List.of("head/bias", "head/weight", "net/enc1/weight", "net/enc2/bias", "net/enc2/gain",
                "net/enc2/weight"), names); // sorted; Conv2d has no bias by default, as in BrainState
        for (SDVariable v : m.sd().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                assertBitIdentical(v.getArr(), loaded.sameDiff().getArrForVarName(v.name()), v.name());
            }
        }
        assertNoTempFiles(dir);
    }

    @Test
    void fileIsAZipWithManifestAndGraphAndTheManifestDescribesIt() throws Exception {
        TestModels.Model m = TestModels.build(DataType.FLOAT, 12);
        m.fit(1);
        Path file = dir.resolve("m.zip");
        ModelFile.save(m.sd(), file, true, Map.of("epochs", "1"));
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(List.of("manifest.json", "graph.fb"), zip.stream().map(e -> e.getName()).toList());
            assertTrue(zip.getComment().startsWith("brainstate4j-sha256:"));
            String json = new String(zip.getInputStream(zip.getEntry("manifest.json")).readAllBytes());
            for (String field : List.of("\"format\": \"brainstate4j-model\"", "\"formatVersion\": 1", "\"updaterState\": true",
                    "\"dataType\": \"FLOAT\"", "\"graphSha256\"", "\"createdAt\"", "\"brainstate4jVersion\"", "\"epochs\": \"1\"",
                    "\"name\": \"net/enc1/weight\"")) {
                assertTrue(json.contains(field), field + " in\n" + json);
            }
            // graph.fb is exactly what SameDiff itself serializes: SameDiff.fromFlatBuffers reads it unaided.
            byte[] graph = zip.getInputStream(zip.getEntry("graph.fb")).readAllBytes();
            SameDiff plain = SameDiff.fromFlatBuffers(java.nio.ByteBuffer.wrap(graph), false);
            assertBitIdentical(m.output(), TestModels.Model.output(plain, m.x()), "graph.fb read by SameDiff directly");
        }
        assertEquals(ModelFile.readManifest(file), ModelFile.load(file, false).manifest());
    }

    @Test
    void savingAgainReplacesTheFile() throws Exception {
        TestModels.Model m = TestModels.build(DataType.FLOAT, 13);
        Path file = dir.resolve("m.bs4j");
        ModelFile.save(m.sd(), file, false, Map.of("step", "0"));
        INDArray first = m.output();
        m.fit(2);
        ModelFile.save(m.sd(), file, true, Map.of("step", "2"));
        ModelFile.Loaded loaded = ModelFile.load(file, true);
        assertEquals("2", loaded.metadata().get("step"));
        INDArray second = TestModels.Model.output(loaded.sameDiff(), m.x());
        assertBitIdentical(m.output(), second, "second save");
        assertFalse(first.equals(second));
        assertNoTempFiles(dir);
    }

    /**
     * Training continued from a reloaded file (with updater state) follows exactly the same loss
     * trajectory, and ends with bit-identical parameters, as training that never stopped.
     */
    @ParameterizedTest
    @MethodSource("dataTypes")
    void continuedTrainingMatchesUninterruptedTraining(DataType dt) throws Exception {
        TestModels.Model uninterrupted = TestModels.build(dt, 21);
        uninterrupted.fit(3);
        Path file = dir.resolve("checkpoint.bs4j");
        ModelFile.save(uninterrupted.sd(), file, true, Map.of());
        List<Double> expected = TestModels.losses(uninterrupted, 4);

        ModelFile.Loaded loaded = ModelFile.load(file, true);
        assertEquals(3, loaded.sameDiff().getTrainingConfig().getIterationCount());
        TestModels.Model resumed = new TestModels.Model(loaded.sameDiff(), null, uninterrupted.x(), uninterrupted.y(), uninterrupted.data());
        List<Double> actual = TestModels.losses(resumed, 4);

        assertEquals(expected, actual, "per-step losses");
        for (SDVariable v : uninterrupted.sd().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                assertBitIdentical(v.getArr(), resumed.sd().getArrForVarName(v.name()), v.name() + " after 4 more steps");
            }
        }

        // Without the updater state Adam restarts from zero moments: the trajectory differs.
        TestModels.Model fresh = TestModels.build(dt, 21);
        fresh.fit(3);
        ModelFile.save(fresh.sd(), dir.resolve("no-updater.bs4j"), false, Map.of());
        SameDiff noUpdater = ModelFile.load(dir.resolve("no-updater.bs4j"), false).sameDiff();
        List<Double> restarted = TestModels.losses(new TestModels.Model(noUpdater, null, fresh.x(), fresh.y(), fresh.data()), 4);
        assertEquals(expected.get(0), restarted.get(0));
        assertNotEquals(expected.get(2), restarted.get(2));
    }

    static Stream<DataType> dataTypes() {
        return Stream.of(DataType.FLOAT, DataType.DOUBLE);
    }

    @Test
    void updaterStateCannotBeLoadedFromAFileSavedWithoutIt() throws Exception {
        TestModels.Model m = TestModels.build(DataType.FLOAT, 31);
        m.fit(1);
        Path file = dir.resolve("inference-only.bs4j");
        ModelFile.save(m.sd(), file, false, Map.of());
        InvalidModelFileException e = assertThrows(InvalidModelFileException.class, () -> ModelFile.load(file, true));
        assertTrue(e.getMessage().startsWith(file + ": it was saved without updater state"), e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void savingUpdaterStateOfAnUntrainedGraphIsRefusedAndWritesNothing() throws Exception {
        TestModels.Model m = TestModels.build(DataType.FLOAT, 32);
        Path file = dir.resolve("untrained.bs4j");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelFile.save(m.sd(), file, true, Map.of()));
        assertTrue(e.getMessage().contains("has no updater state"), e.getMessage());
        assertFalse(Files.exists(file));
        assertNoTempFiles(dir);
    }

    /** A separate JVM loads the file and computes the output: bit-identical to this JVM's. */
    @Test
    void freshJvmComputesBitIdenticalOutputs() throws Exception {
        TestModels.Model m = TestModels.build(DataType.FLOAT, 41);
        m.fit(3);
        Path file = dir.resolve("model.bs4j");
        ModelFile.save(m.sd(), file, false, Map.of("purpose", "fresh-jvm"));
        Npz.writeNpy(dir.resolve("in.npy"), m.x());
        try (ChildProcess child = ChildProcess.start(ModelFileChild.class, dir, "predict", "model.bs4j", "in.npy", "out.npy")) {
            assertEquals(0, child.waitFor(60), child.output());
            assertTrue(child.output().contains("done {purpose=fresh-jvm}"), child.output());
        }
        assertBitIdentical(m.output(), Npz.readNpy(dir.resolve("out.npy")), "output computed in a fresh JVM");
    }

    static void assertNoTempFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> temps = files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
            assertEquals(List.of(), temps, "temporary files left behind");
        }
    }
}
