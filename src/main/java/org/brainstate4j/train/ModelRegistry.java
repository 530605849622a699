package org.brainstate4j.train;

import static org.brainstate4j.Checks.checkArgument;

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
import java.nio.file.DirectoryStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.brainstate4j.AtomicFiles;
import org.brainstate4j.io.InvalidModelFileException;
import org.brainstate4j.io.ModelFile;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@code models/manifest.json}: one entry per trained model file (what was trained, on what data,
 * for how long, with which seed, the metric it reached and the file's SHA-256 and size).
 *
 * <p>A model file and the manifest are two files, and no file system renames two files in one step,
 * so a process killed between the model's rename and the manifest's would leave an entry that
 * describes the previous model. Hence: {@code save} stores the model's entry inside the model file
 * too (metadata {@code registryEntry}) and writes the model first, then the manifest; and every
 * read through this class ({@code entries}, {@link #entry}, {@code put}, {@code save}) first
 * checks each listed file's SHA-256 and size against its entry and repairs the manifest from the
 * entries the model files carry (an entry whose file changed is replaced, a model file with an
 * entry but none in the manifest is added), rewriting it atomically. Model files without an
 * embedded entry (written before this rule, or by {@code ModelFile.save} directly) are left as listed.
 */
public final class ModelRegistry {
    static final String MANIFEST = "manifest.json";
    /** The model-file metadata key under which {@link #save} stores the file's manifest entry (JSON). */
    static final String ENTRY_METADATA = "registryEntry";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path dir;

    public ModelRegistry(Path dir) {
        this.dir = dir;
    }

    Path manifestPath() {
        return dir.resolve(MANIFEST);
    }

    /**
     * Saves {@code sd} as {@code dir/<entry.file>} with its entry embedded, then records the entry
     * (with the file's SHA-256 and size) in the manifest. Killed at any point, the pair is consistent
     * again at the next read through this class.
     */
    void save(SameDiff sd, boolean withUpdaterState, Map<String, String> metadata, JsonObject entry) throws IOException {
        checkArgument(entry != null && entry.has("name") && entry.has("file"), "a manifest entry needs 'name' and 'file'");
        Path file = dir.resolve(entry.get("file").getAsString());
        Map<String, String> withEntry = new LinkedHashMap<>(metadata);
        withEntry.put(ENTRY_METADATA, GSON.toJson(entry));
        ModelFile.save(sd, file, withUpdaterState, withEntry);
        put(completed(entry, file));
    }

    /** All entries, checked and repaired against the model files first (an empty array when there is no manifest). */
    JsonArray entries() throws IOException {
        JsonArray listed = readManifest();
        JsonArray repaired = repaired(listed);
        if (!repaired.equals(listed)) write(repaired);
        return repaired;
    }

    private JsonArray readManifest() throws IOException {
        Path file = manifestPath();
        if (!Files.exists(file)) return new JsonArray();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(r);
            JsonArray models = root.isJsonObject() ? root.getAsJsonObject().getAsJsonArray("models") : null;
            if (models == null) throw new IllegalStateException("it has no \"models\" array");
            for (JsonElement e : models) {
                if (!e.isJsonObject() || !e.getAsJsonObject().has("name") || !e.getAsJsonObject().has("file")) {
                    throw new IllegalStateException("an entry lacks 'name' or 'file'");
                }
            }
            return models;
        } catch (RuntimeException e) {
            Throwable cause = e; // Gson wraps the reader's exception: its message says where the JSON breaks off
            while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
            throw new IOException("model manifest " + file + " is not valid JSON of the expected form: " + cause.getMessage(), e);
        }
    }

    /** The entries as the model files say they should be. */
    private JsonArray repaired(JsonArray listed) throws IOException {
        JsonArray out = new JsonArray();
        Set<String> files = new HashSet<>();
        for (JsonElement e : listed) {
            JsonObject entry = e.getAsJsonObject();
            Path file = dir.resolve(entry.get("file").getAsString());
            files.add(file.getFileName().toString());
            boolean matches = Files.isRegularFile(file) && entry.has("sha256")
                    && entry.get("sha256").getAsString().equals(sha256(file));
            Optional<JsonObject> embedded = matches ? Optional.empty() : embeddedEntry(file);
            out.add(embedded.isPresent() ? completed(embedded.get(), file) : entry);
        }
        List<Path> unlisted = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> models = Files.newDirectoryStream(dir, "*.bs4j")) {
                for (Path p : models) if (!files.contains(p.getFileName().toString())) unlisted.add(p);
            }
        }
        unlisted.sort(null);
        for (Path p : unlisted) {
            Optional<JsonObject> embedded = embeddedEntry(p);
            if (embedded.isPresent() && embedded.get().get("file").getAsString().equals(p.getFileName().toString())) {
                out.add(completed(embedded.get(), p));
            }
        }
        return out;
    }

    /** The entry a model file carries, if it is a valid model file with one. */
    private static Optional<JsonObject> embeddedEntry(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            String json = ModelFile.readManifest(file).metadata().get(ENTRY_METADATA);
            return json == null ? Optional.empty() : Optional.of(JsonParser.parseString(json).getAsJsonObject());
        } catch (InvalidModelFileException | RuntimeException e) {
            return Optional.empty(); // not a complete model file with an entry: nothing to repair from
        }
    }

    /** {@code entry} with the file's SHA-256 and size, in the manifest's field order. */
    private static JsonObject completed(JsonObject entry, Path file) throws IOException {
        JsonObject out = new JsonObject();
        out.add("name", entry.get("name"));
        out.add("file", entry.get("file"));
        out.addProperty("sha256", sha256(file));
        out.addProperty("bytes", Files.size(file));
        for (Map.Entry<String, JsonElement> e : entry.entrySet()) {
            if (!out.has(e.getKey())) out.add(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The entry named {@code name}, if any. */
    public Optional<JsonObject> entry(String name) throws IOException {
        for (JsonElement e : entries()) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) return Optional.of(e.getAsJsonObject());
        }
        return Optional.empty();
    }

    /** Adds or replaces the entry with {@code entry.name}. */
    void put(JsonObject entry) throws IOException {
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
        write(updated);
    }

    private void write(JsonArray models) throws IOException {
        JsonObject root = new JsonObject();
        root.add("models", models);
        AtomicFiles.write(manifestPath(), (GSON.toJson(root) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 of a file. */
    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
