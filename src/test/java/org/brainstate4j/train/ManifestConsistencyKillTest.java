package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.brainstate4j.io.ChildProcess;
import org.brainstate4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM saves a 4 MB model and its manifest entry again and again, as the trainer does
 * ({@link ModelRegistry#save}), and is killed at many points: at random moments over a save, right
 * after a temporary file appears, and right after the model file is renamed into place (before
 * the manifest is rewritten). After every kill the model file is one complete save, and the
 * manifest as read through {@link ModelRegistry} describes exactly that file (hash, size, seed,
 * metric), and so does {@code manifest.json} on disk once read.
 */
class ManifestConsistencyKillTest {
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void modelFileAndManifestAlwaysAgreeAfterAKill() throws Exception {
        Path model = dir.resolve("m.bs4j");
        Random random = new Random(77);
        int staleOnDisk = 0;
        int tempsLeft = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int lastReported;
            String how;
            try (ChildProcess child = ChildProcess.start(RegistryChild.class, dir, dir.toString(), "1000000")) {
                long saveMillis = Math.max(5, child.awaitWarmSaveMillis());
                switch (round % 3) {
                    case 0 -> {
                        long delay = (long) (random.nextDouble() * 2 * saveMillis);
                        Thread.sleep(delay);
                        how = "at a random moment (" + delay + " ms)";
                    }
                    case 1 -> {
                        Object before = fileKey(model);
                        long start = System.nanoTime();
                        while (Objects.equals(before, fileKey(model)) && System.nanoTime() - start < 10_000_000_000L) Thread.onSpinWait();
                        how = "right after the model file was renamed into place";
                    }
                    default -> {
                        long start = System.nanoTime();
                        while (temps().isEmpty() && System.nanoTime() - start < 10_000_000_000L) Thread.onSpinWait();
                        how = "right after a temporary file appeared";
                    }
                }
                child.process.destroyForcibly();
                child.waitFor(30);
                lastReported = child.lastSaved();
            }
            int iteration = Integer.parseInt(ModelFile.readManifest(model).metadata().get("iteration"));
            assertTrue(iteration == lastReported || iteration == lastReported + 1,
                    "file holds save " + iteration + ", last reported " + lastReported);
            JsonObject onDisk = rawEntry();
            boolean stale = onDisk.get("seed").getAsInt() != iteration;
            if (stale) staleOnDisk++;
            if (!temps().isEmpty()) tempsLeft++;

            JsonObject entry = new ModelRegistry(dir).entry("m").orElseThrow();
            assertAgrees(entry, model, iteration, "read through ModelRegistry");
            assertAgrees(rawEntry(), model, iteration, "manifest.json on disk after that read");
            System.out.printf("kill %d %s: model holds save %d; manifest on disk %s%n", round, how, iteration,
                    stale ? "described save " + onDisk.get("seed").getAsInt() + " until the next read repaired it" : "agreed");
        }
        System.out.printf("%d kills: %d left manifest.json a save behind (repaired by the next read), %d left a temporary file%n",
                ROUNDS, staleOnDisk, tempsLeft);
    }

    private static void assertAgrees(JsonObject entry, Path model, int iteration, String where) throws IOException {
        assertEquals(ModelRegistry.sha256(model), entry.get("sha256").getAsString(), where + ": sha256");
        assertEquals(Files.size(model), entry.get("bytes").getAsLong(), where + ": bytes");
        assertEquals(iteration, entry.get("seed").getAsInt(), where + ": seed");
        assertEquals(iteration / 1000.0, entry.getAsJsonObject("metric").get("value").getAsDouble(), 0.0, where + ": metric");
    }

    private JsonObject rawEntry() throws IOException {
        for (var e : JsonParser.parseString(Files.readString(dir.resolve(ModelRegistry.MANIFEST))).getAsJsonObject().getAsJsonArray("models")) {
            if (e.getAsJsonObject().get("name").getAsString().equals("m")) return e.getAsJsonObject();
        }
        throw new AssertionError("no entry 'm' in manifest.json");
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private List<Path> temps() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
        }
    }
}
