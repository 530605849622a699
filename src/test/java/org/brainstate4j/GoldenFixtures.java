package org.brainstate4j;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A set of golden fixtures under {@code src/test/resources/golden/<set>/}, as the generators of
 * {@code tools/golden/} write them: a {@code manifest.json} listing the entries and one {@code <id>.npz}
 * of arrays per entry.
 */
public record GoldenFixtures(Path dir, JsonObject manifest) {
    /** The sets read so far: a test that checks case by case asks for its set once per case. */
    private static final Map<String, GoldenFixtures> LOADED = new ConcurrentHashMap<>();

    /** The set {@code golden/<set>} on the test class path, with its manifest read (once per JVM). */
    public static GoldenFixtures load(String set) throws IOException, URISyntaxException {
        GoldenFixtures loaded = LOADED.get(set);
        if (loaded == null) {
            loaded = read(set);
            LOADED.put(set, loaded);
        }
        return loaded;
    }

    private static GoldenFixtures read(String set) throws IOException, URISyntaxException {
        URL url = GoldenFixtures.class.getResource("/golden/" + set + "/manifest.json");
        if (url == null) throw new IOException("no golden fixture set '" + set + "' on the test class path");
        Path dir = Path.of(url.toURI()).getParent();
        try (Reader r = Files.newBufferedReader(dir.resolve("manifest.json"))) {
            return new GoldenFixtures(dir, JsonParser.parseReader(r).getAsJsonObject());
        }
    }

    /** The entries of the manifest's array {@code key} ("cases", "networks"). */
    public List<JsonObject> entries(String key) {
        return StreamSupport.stream(manifest.getAsJsonArray(key).spliterator(), false)
                .map(JsonElement::getAsJsonObject).toList();
    }

    /** The arrays of the entry {@code id} ({@code <id>.npz}). */
    public Map<String, INDArray> arrays(String id) throws Exception { // as Nd4j.createFromNpzFile
        return Nd4j.createFromNpzFile(dir.resolve(id + ".npz").toFile());
    }
}
