package org.brainstate4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.brainstate4j.io.AtomicFiles;

/**
 * {@code models/manifest.json}: one entry per trained model file (what was trained, on what data,
 * for how long, with which seed, the metric it reached and the file's SHA-256). Rewritten
 * atomically, one entry replaced at a time.
 */
public final class ModelRegistry {
    public static final String MANIFEST = "manifest.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path dir;

    public ModelRegistry(Path dir) {
        this.dir = dir;
    }

    public Path manifestPath() {
        return dir.resolve(MANIFEST);
    }

    /** All entries (an empty array when there is no manifest yet). */
    public JsonArray entries() throws IOException {
        Path file = manifestPath();
        if (!Files.exists(file)) return new JsonArray();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(r);
            return root.getAsJsonObject().getAsJsonArray("models");
        } catch (RuntimeException e) {
            throw new IOException("model manifest " + file + " is not valid JSON of the expected form: " + e.getMessage(), e);
        }
    }

    /** The entry named {@code name}, if any. */
    public Optional<JsonObject> entry(String name) throws IOException {
        for (JsonElement e : entries()) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) return Optional.of(e.getAsJsonObject());
        }
        return Optional.empty();
    }

    /** Adds or replaces the entry with {@code entry.name}. */
    public void put(JsonObject entry) throws IOException {
        JsonArray updated = new JsonArray();
        boolean replaced = false;
        for (JsonElement e : entries()) {
            if (e.getAsJsonObject().get("name").getAsString().equals(entry.get("name").getAsString())) {
                updated.add(entry);
                replaced = true;
            } else {
                updated.add(e);
            }
        }
        if (!replaced) updated.add(entry);
        JsonObject root = new JsonObject();
        root.add("models", updated);
        AtomicFiles.write(manifestPath(), (GSON.toJson(root) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
