package org.brainstate4j.io;

import org.brainstate4j.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Damaged, truncated, foreign and newer-format files are refused; interrupted saves never damage the file. */
class ModelFileFaultTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static byte[] good;
    static TestModels.Model model;

    @BeforeAll
    static void saveOnce() throws Exception {
        model = TestModels.build(DataType.FLOAT, 51);
        model.fit(2);
        Path file = shared.resolve("good.bs4j");
        ModelFile.save(model.sd(), file, true, Map.of("k", "v"));
        good = Files.readAllBytes(file);
    }

    /** Writes {@code bytes} to a file named {@code name}, asserts it is refused, returns the message. */
    private String refused(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return refused(file);
    }

    private static String refused(Path file) {
        InvalidModelFileException e = assertThrows(InvalidModelFileException.class, () -> ModelFile.load(file, false));
        assertTrue(e.getMessage().startsWith(file + ": "), "message names the file: " + e.getMessage());
        assertEquals(file, e.file());
        return e.getMessage();
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        int n = good.length;
        int[] cuts = {0, 1, 3, 4, 30, 100, n / 3, n / 2, n - 200, n - 106, n - 85, n - 64, n - 1};
        for (int cut : cuts) {
            String message = refused("cut-" + cut + ".bs4j", Arrays.copyOf(good, cut));
            System.out.println("truncated to " + cut + "/" + n + ": " + message);
            if (cut == 0) assertTrue(message.contains("is empty (0 bytes)"), message);
            else if (cut >= 4) assertTrue(message.contains("truncated"), message);
        }
    }

    @Test
    void flippedBytesAnywhereAreRefused() throws Exception {
        int n = good.length;
        List<Integer> offsets = new ArrayList<>(List.of(0, 1, 2, 3, 8, 14, 26, 30, 40, 60, 200, n / 2, n - 300, n - 106, n - 90,
                n - 86, n - 70, n - 64, n - 30, n - 1));
        Random random = new Random(7);
        for (int i = 0; i < 30; i++) offsets.add(random.nextInt(n));
        for (int offset : offsets) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = good.clone();
                bad[offset] ^= (byte) mask;
                String message = refused("flip.bs4j", bad);
                if (mask == 0x01 && (offset < 4 || offset == n / 2 || offset >= n - 106)) {
                    System.out.println("flip at " + offset + "/" + n + ": " + message);
                }
                assertTrue(message.contains("damaged") || message.contains("truncated"), message);
            }
        }
    }

    @Test
    void foreignFilesAreRefused() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png);
        String m = refused("image.png", png.toByteArray());
        assertTrue(m.contains("not a brainstate4j model file: it is a PNG image (first bytes: 89 50 4E 47"), m);
        System.out.println(m);

        Path plain = dir.resolve("plain.fb");
        model.sd().save(plain.toFile(), true);
        m = refused(plain);
        assertTrue(m.contains("looks like a plain SameDiff FlatBuffers file"), m);
        System.out.println(m);

        m = refused("empty.bs4j", new byte[0]);
        assertTrue(m.contains("the file is empty (0 bytes)"), m);

        Path npz = dir.resolve("params.npz");
        Npz.write(npz, Map.of("enc1/weight", Nd4j.ones(DataType.FLOAT, 2, 2)));
        m = refused(npz);
        assertTrue(m.contains("a ZIP archive but not a brainstate4j model file: it has no manifest.json "
                + "(entries: [enc1/weight.npy]); it looks like a NumPy .npz"), m);
        System.out.println(m);

        m = refused("notes.txt", "hello, world\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(m.contains("it does not start with a ZIP signature (first bytes: 68 65 6C 6C 6F 2C 20 77)"), m);

        Path npy = dir.resolve("x.npy");
        Npz.writeNpy(npy, Nd4j.ones(DataType.FLOAT, 3));
        assertTrue(refused(npy).contains("it is a NumPy .npy array"));
    }

    @Test
    void manifestWithTheWrongGraphChecksumIsRefused() throws Exception {
        Map<String, byte[]> entries = entries(good);
        String json = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        String sha = json.replaceAll("(?s).*\"graphSha256\": \"([0-9a-f]{64})\".*", "$1");
        assertEquals(64, sha.length());
        String badJson = json.replace(sha, "0".repeat(64));
        String m = refused("bad-sha.bs4j", container(badJson, entries.get("graph.fb")));
        assertTrue(m.contains("graph.fb does not match its checksum in manifest.json (SHA-256 recorded " + "0".repeat(64)
                + ", actual " + sha + ")"), m);
        System.out.println(m);

        // The graph replaced by another valid graph, manifest unchanged: also caught by the graph checksum.
        TestModels.Model other = TestModels.build(DataType.FLOAT, 52);
        java.nio.ByteBuffer bb = other.sd().asFlatBuffers(false);
        byte[] otherGraph = new byte[bb.remaining()];
        bb.get(otherGraph);
        m = refused("swapped.bs4j", container(json, otherGraph));
        assertTrue(m.contains("graph.fb has " + otherGraph.length + " bytes but manifest.json records")
                || m.contains("does not match its checksum in manifest.json"), m);
    }

    @Test
    void futureFormatVersionIsRefused() throws Exception {
        Map<String, byte[]> entries = entries(good);
        String json = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        String future = json.replace("\"formatVersion\": 1,", "\"formatVersion\": 2,");
        String m = refused("future.bs4j", container(future, entries.get("graph.fb")));
        assertTrue(m.contains("it has format version 2, newer than this brainstate4j (development) reads (version 1 and older); "
                + "upgrade brainstate4j to load it"), m);
        System.out.println(m);

        String foreignFormat = json.replace("\"format\": \"brainstate4j-model\"", "\"format\": \"something-else\"");
        assertTrue(refused("other-format.bs4j", container(foreignFormat, entries.get("graph.fb")))
                .contains("manifest.json is for format 'something-else'"));
        assertTrue(refused("not-json.bs4j", container("{ not json", entries.get("graph.fb")))
                .contains("manifest.json is not valid JSON"));
    }

    @Test
    void aFileTooLargeForTheHeapIsRefusedBeforeAnythingIsRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.bs4j");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(40L << 20); // sparse: nothing is written
        }
        InvalidModelFileException e = assertThrows(InvalidModelFileException.class,
                () -> ModelFileReader.checkHeap(big, java.nio.file.Files.size(big), 64L << 20));
        assertTrue(e.getMessage().contains(big.toString()) && e.getMessage().contains("the file is 40 MiB; reading it takes "
                + "about 80 MiB of heap, more than three quarters of this JVM's maximum heap of 64 MiB"), e.getMessage());
        ModelFileReader.checkHeap(big, java.nio.file.Files.size(big), 1L << 30); // room enough: no refusal
    }

    @Test
    void theIntactFileStillLoads() throws Exception {
        Path file = dir.resolve("intact.bs4j");
        Files.write(file, good);
        SameDiff sd = ModelFile.load(file, true).sameDiff();
        TestModels.assertBitIdentical(model.output(), TestModels.Model.output(sd, model.x()), "intact");
    }

    // ------------------------------------------------------------------ interrupted saves

    /** A write that fails after the temporary file was created leaves the old file and no temporary file. */
    @Test
    void failedWriteKeepsThePreviousFileAndRemovesItsTemporaryFile() throws Exception {
        Path file = dir.resolve("model.bs4j");
        Files.write(file, good);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated by the writer)");
        }));
        assertEquals("disk full (simulated by the writer)", e.getMessage());
        assertTrue(Arrays.equals(good, Files.readAllBytes(file)));
        ModelFileTest.assertNoTempFiles(dir);
    }

    @Test
    void nextSaveRemovesStaleTemporaryFilesButNotOnesAnotherLiveProcessIsWriting() throws Exception {
        Path file = dir.resolve("model.bs4j");
        Path stale = dir.resolve(".model.bs4j.tmp-0123456789abcdef");
        Path live = dir.resolve(".model.bs4j.tmp-fedcba9876543210");
        Path unrelated = dir.resolve(".other.bs4j.tmp-0123456789abcdef");
        Files.write(stale, new byte[1000]);
        Files.write(unrelated, new byte[10]);
        try (ChildProcess holder = ChildProcess.start(LockHolder.class, dir, live.toString())) {
            holder.await("locked", 30);
            ModelFile.save(model.sd(), file, false, Map.of());
            assertFalse(Files.exists(stale), "stale temporary file removed");
            assertTrue(Files.exists(live), "temporary file locked by a live writer kept");
            assertTrue(Files.exists(unrelated), "temporary file of another target kept");
            holder.process.destroyForcibly();
            holder.waitFor(30);
        }
        ModelFile.save(model.sd(), file, false, Map.of());
        assertFalse(Files.exists(live), "removed once its writer died");
        assertTrue(Files.exists(unrelated));
    }

    /**
     * A child JVM saves a 12 MB model (the test model and a variable of 3M floats)
     * over the same path again and again; it is killed at random moments spread over its next two or
     * three saves, and (every other time) just after a temporary file appears, in the write phase. After every kill the file must load and be one of the complete saves, no older than the
     * last save the child reported; a temporary file left by the killed save is removed by the next save.
     */
    @Test
    void killedSavesNeverDamageTheFile() throws Exception {
        Path file = dir.resolve("big.bs4j");
        Random random = new Random(2024);
        int killsWithTempLeft = 0;
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            int lastReported;
            long delay;
            try (ChildProcess child = ChildProcess.start(ModelFileChild.class, dir, "save-loop", file.toString(), "3000000")) {
                long saveMillis = child.awaitWarmSaveMillis();
                if (round % 2 == 0) {
                    delay = (long) (random.nextDouble() * 2.5 * Math.max(saveMillis, 40));
                    Thread.sleep(delay);
                } else { // aim at the write phase: kill soon after a temporary file appears
                    long start = System.nanoTime();
                    while (temps(dir).isEmpty() && System.nanoTime() - start < 10_000_000_000L) Thread.onSpinWait();
                    Thread.sleep(random.nextInt((int) Math.max(saveMillis / 3, 5)));
                    delay = (System.nanoTime() - start) / 1_000_000;
                }
                child.process.destroyForcibly();
                child.waitFor(30);
                lastReported = child.lastSaved();
            }
            ModelFile.Loaded loaded = ModelFile.load(file, false);
            int iteration = Integer.parseInt(loaded.metadata().get("iteration"));
            assertTrue(iteration >= lastReported, "file holds save " + iteration + " but save " + lastReported + " had completed");
            assertTrue(iteration <= lastReported + 1, "save " + iteration + " was never started");
            INDArray big = loaded.sameDiff().getArrForVarName("big");
            assertEquals(iteration, big.minNumber().intValue());
            assertEquals(iteration, big.maxNumber().intValue());
            List<Path> temps = temps(dir);
            assertTrue(temps.size() <= 1, "at most the killed save's temporary file: " + temps);
            String left = "no temporary file left";
            if (!temps.isEmpty()) {
                killsWithTempLeft++;
                try {
                    ModelFile.readManifest(temps.get(0));
                    left = "a complete temporary file left (killed between write and rename)";
                } catch (InvalidModelFileException e) {
                    assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("is empty"), e.getMessage());
                    left = "a partial temporary file left (" + Files.size(temps.get(0)) + " bytes, refused: " + (e.getMessage().contains("is empty") ? "empty" : "truncated") + ")";
                }
            }
            System.out.println("kill " + round + " after " + delay + " ms: file holds save " + iteration + " (last reported "
                    + lastReported + "), " + left);
        }
        // The next save (here: of this JVM) cleans up what the killed ones left.
        ModelFile.save(model.sd(), file, false, Map.of());
        assertEquals(List.of(), temps(dir));
        System.out.println(killsWithTempLeft + " of " + rounds + " kills left a temporary file");
    }

    private static List<Path> temps(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".big.bs4j.tmp-")).toList();
        }
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, byte[]> entries(byte[] file) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) out.put(e.getName(), zip.readAllBytes());
        }
        assertNotNull(out.get("manifest.json"));
        return out;
    }

    /** A well-formed container (valid trailer) around the given manifest and graph. */
    static byte[] container(String manifestJson, byte[] graph) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFileWriter.writeContainer(out, manifestJson.getBytes(StandardCharsets.UTF_8), graph, 0L);
        return out.toByteArray();
    }
}
