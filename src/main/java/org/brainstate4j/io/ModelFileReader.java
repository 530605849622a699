package org.brainstate4j.io;

import static org.brainstate4j.io.ModelFile.FORMAT;
import static org.brainstate4j.io.ModelFile.FORMAT_VERSION;
import static org.brainstate4j.io.ModelFileFormat.COMMENT_LENGTH;
import static org.brainstate4j.io.ModelFileFormat.DIGEST_HEX;
import static org.brainstate4j.io.ModelFileFormat.EOCD_LENGTH;
import static org.brainstate4j.io.ModelFileFormat.GRAPH_ENTRY;
import static org.brainstate4j.io.ModelFileFormat.MANIFEST_ENTRY;
import static org.brainstate4j.io.ModelFileFormat.MAX_MANIFEST_BYTES;
import static org.brainstate4j.io.ModelFileFormat.TRAILER_PREFIX;
import static org.brainstate4j.io.ModelFileFormat.libraryVersion;
import static org.brainstate4j.io.ModelFileFormat.sha256Hex;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.brainstate4j.io.ModelFile.Loaded;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.graph.FlatGraph;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reading a {@link ModelFile} and checking it, in the order the class documentation of
 * {@link ModelFile} gives: checksum trailer, ZIP entries, manifest, format version, the graph's
 * SHA-256 and arrays, and, once SameDiff has rebuilt the graph, its trainable variables against the
 * manifest. A file that fails a check is diagnosed (foreign, truncated, damaged, newer) in an
 * {@link InvalidModelFileException}. Everything here treats the file as hostile, which is why it is
 * kept apart from {@link ModelFileWriter}.
 */
final class ModelFileReader {
    private ModelFileReader() {}

    /** {@link ModelFile#load}: see there. */
    static Loaded load(Path file, boolean withUpdaterState) throws IOException {
        Verified v = verify(file);
        Manifest m = v.manifest;
        if (withUpdaterState && !m.updaterState()) {
            throw new InvalidModelFileException(file, "it was saved without updater state, so it cannot be loaded with "
                    + "withUpdaterState=true; load it with withUpdaterState=false (inference, or training with a fresh updater)");
        }
        // ND4J starts here, outside the catch below: a machine without a usable backend is not a damaged file.
        Nd4j.getBackend();
        String arrayProblem = FlatGraphArrays.firstProblem(v.graph);
        if (arrayProblem != null) {
            throw new InvalidModelFileException(file, "graph.fb is damaged (intact checksum, so damaged before it was sealed "
                    + "or resealed since): " + arrayProblem);
        }
        SameDiff sd;
        try {
            sd = SameDiff.fromFlatBuffers(ByteBuffer.wrap(v.graph), withUpdaterState);
        } catch (Exception | Error e) {
            // SameDiff's FlatBuffers reader trusts the lengths inside graph.fb: a damaged one can make it throw
            // anything, OutOfMemoryError included (a huge declared array whose allocation fails, nothing held).
            throw new InvalidModelFileException(file, "SameDiff could not rebuild the graph from graph.fb (intact, "
                    + "checksum verified; written by brainstate4j " + m.brainstate4jVersion() + "): " + e, e);
        }
        List<String> problems = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        for (Manifest.Variable mv : m.trainableVariables()) {
            listed.add(mv.name());
            SDVariable var = sd.hasVariable(mv.name()) ? sd.getVariable(mv.name()) : null;
            if (var == null || var.getVariableType() != VariableType.VARIABLE || var.getArr() == null) {
                problems.add("trainable variable '" + mv.name() + "' is missing from the graph");
            } else if (!Arrays.equals(var.getArr().shape(), mv.shape()) || !var.dataType().name().equals(mv.dataType())) {
                problems.add("variable '" + mv.name() + "' is " + Arrays.toString(var.getArr().shape()) + ":" + var.dataType()
                        + " in the graph but " + mv + " in the manifest");
            }
        }
        for (SDVariable var : sd.variables()) {
            if (var.getVariableType() == VariableType.VARIABLE && !listed.contains(var.name())) {
                problems.add("trainable variable '" + var.name() + "' is not listed in the manifest");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidModelFileException(file, "graph.fb does not match manifest.json: " + String.join("; ", problems));
        }
        return new Loaded(sd, m);
    }

    /** Verifies {@code file} completely (as {@link ModelFile#load} does, short of building the graph) and returns its manifest. */
    static Manifest readManifest(Path file) throws IOException {
        return verify(file).manifest;
    }

    private record Verified(Manifest manifest, byte[] graph) {}

    /**
     * Refuses a file whose reading would need more heap than this JVM may have: the file's bytes and the
     * graph entry copied out of them, about twice its size, against three quarters of the maximum heap.
     * A file from anyone is read with bounded memory, so a large one is a clear refusal, not an
     * {@code OutOfMemoryError}.
     */
    static void checkHeap(Path file, long size, long maxHeap) throws InvalidModelFileException {
        long needed = 2 * size;
        if (needed > maxHeap / 4 * 3) {
            throw new InvalidModelFileException(file, String.format(
                    "the file is %d MiB; reading it takes about %d MiB of heap, more than three quarters of this JVM's "
                            + "maximum heap of %d MiB (raise it with -Xmx)", size >> 20, needed >> 20, maxHeap >> 20));
        }
    }

    private static Verified verify(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("the file to load must not be null");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        if (Files.isDirectory(file)) throw new InvalidModelFileException(file, "it is a directory, not a model file");
        long size = Files.size(file);
        if (size == 0) {
            throw new InvalidModelFileException(file, "the file is empty (0 bytes); an interrupted copy? It is not a brainstate4j model file");
        }
        if (size > Integer.MAX_VALUE - 64) {
            throw new InvalidModelFileException(file, "the file is " + size + " bytes; model files over 2 GiB are not supported");
        }
        checkHeap(file, size, Runtime.getRuntime().maxMemory());
        byte[] bytes = Files.readAllBytes(file);
        // A file that ends with our trailer is one of ours: any damage elsewhere shows as a checksum mismatch.
        if (!endsWithTrailer(bytes)) {
            if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4) {
                throw new InvalidModelFileException(file, "not a brainstate4j model file: " + describeForeign(bytes));
            }
        }
        checkTrailer(file, bytes);
        Map<String, byte[]> entries = readEntries(file, bytes);
        byte[] manifestBytes = entries.get(MANIFEST_ENTRY);
        byte[] graph = entries.get(GRAPH_ENTRY);
        if (manifestBytes == null) {
            throw new InvalidModelFileException(file, "a ZIP archive with a brainstate4j trailer but without manifest.json (entries: "
                    + entries.keySet() + ")");
        }
        Manifest manifest = parseManifest(file, manifestBytes);
        Set<String> unexpected = new LinkedHashSet<>(entries.keySet());
        unexpected.removeAll(List.of(MANIFEST_ENTRY, GRAPH_ENTRY));
        if (graph == null || !unexpected.isEmpty()) {
            throw new InvalidModelFileException(file, "format version 1 holds exactly manifest.json and graph.fb, but the archive has "
                    + entries.keySet());
        }
        if (graph.length != manifest.graphBytes()) {
            throw new InvalidModelFileException(file, "graph.fb has " + graph.length + " bytes but manifest.json records "
                    + manifest.graphBytes());
        }
        String actual = sha256Hex(graph, 0, graph.length);
        if (!actual.equals(manifest.graphSha256())) {
            throw new InvalidModelFileException(file, "graph.fb does not match its checksum in manifest.json (SHA-256 recorded "
                    + manifest.graphSha256() + ", actual " + actual + ")");
        }
        boolean graphHasUpdaterState;
        try {
            graphHasUpdaterState = FlatGraph.getRootAsFlatGraph(ByteBuffer.wrap(graph)).updaterStateLength() > 0;
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "graph.fb is not a SameDiff FlatBuffers graph (" + e + ")", e);
        }
        if (graphHasUpdaterState != manifest.updaterState()) {
            throw new InvalidModelFileException(file, "manifest.json says updaterState=" + manifest.updaterState()
                    + " but graph.fb " + (graphHasUpdaterState ? "has" : "has no") + " updater state");
        }
        return new Verified(manifest, graph);
    }

    /** Whether the file ends with {@code brainstate4j-sha256:} and 64 more bytes (intact or not). */
    private static boolean endsWithTrailer(byte[] bytes) {
        int at = bytes.length - COMMENT_LENGTH;
        return at >= 0 && new String(bytes, at, TRAILER_PREFIX.length(), StandardCharsets.ISO_8859_1).equals(TRAILER_PREFIX);
    }

    /** The trailer: EOCD record at the very end whose 84-byte comment is our prefix plus the digest. */
    private static void checkTrailer(Path file, byte[] bytes) throws InvalidModelFileException {
        int eocd = bytes.length - EOCD_LENGTH - COMMENT_LENGTH;
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        boolean ours = eocd >= 0 && le.getInt(eocd) == 0x06054b50 && (le.getShort(eocd + 20) & 0xffff) == COMMENT_LENGTH;
        if (!ours && !endsWithTrailer(bytes)) {
            throw new InvalidModelFileException(file, diagnoseWithoutTrailer(bytes));
        }
        int commentStart = eocd + EOCD_LENGTH;
        String prefix = new String(bytes, commentStart, TRAILER_PREFIX.length(), StandardCharsets.ISO_8859_1);
        String stored = new String(bytes, bytes.length - DIGEST_HEX, DIGEST_HEX, StandardCharsets.ISO_8859_1);
        if (!prefix.equals(TRAILER_PREFIX)) {
            throw new InvalidModelFileException(file, "damaged: its checksum trailer should start with '" + TRAILER_PREFIX
                    + "' but reads '" + printable(prefix) + "'");
        }
        String actual = sha256Hex(bytes, 0, bytes.length - DIGEST_HEX);
        if (!actual.equals(stored)) {
            throw new InvalidModelFileException(file, "damaged: the SHA-256 of its contents (" + actual
                    + ") does not match the checksum stored at its end (" + printable(stored)
                    + "); the file changed after it was written (disk or transfer error, or edited)");
        }
    }

    private static String diagnoseWithoutTrailer(byte[] bytes) {
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                if (e.getMethod() != ZipEntry.STORED) break; // skipping it would inflate it, possibly a bomb
            }
        } catch (IOException | RuntimeException e) {
            // stops at the damage; the names read so far are enough for a diagnosis
        }
        boolean ourStart = names.contains(MANIFEST_ENTRY);
        if (!hasEndRecord(bytes)) {
            return "truncated or damaged: it starts like a ZIP archive" + (ourStart ? " holding a brainstate4j model" : "")
                    + " but has no end-of-archive record (" + bytes.length + " bytes); was the write or copy interrupted?";
        }
        if (ourStart) {
            return "damaged: a ZIP archive with manifest.json but without the brainstate4j checksum trailer at its end "
                    + "(changed or re-zipped by another tool?)";
        }
        return "a ZIP archive but not a brainstate4j model file: it has no manifest.json (entries: "
                + (names.size() > 5 ? names.subList(0, 5) + "..." : names) + ")"
                + (names.stream().anyMatch(n -> n.endsWith(".npy")) ? "; it looks like a NumPy .npz (see Npz / ParameterExchange)" : "");
    }

    /** Whether some end-of-central-directory record ends exactly at the end of the file. */
    private static boolean hasEndRecord(byte[] bytes) {
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = bytes.length - EOCD_LENGTH; i >= Math.max(0, bytes.length - EOCD_LENGTH - 0xffff); i--) {
            if (le.getInt(i) == 0x06054b50 && i + EOCD_LENGTH + (le.getShort(i + 20) & 0xffff) == bytes.length) return true;
        }
        return false;
    }

    /**
     * The archive's entries, each read only after its header was checked: format version 1 stores
     * them uncompressed (so a compressed entry, such as a zip bomb, is refused before it is
     * inflated), and no entry may be longer than {@link ModelFileFormat#MAX_MANIFEST_BYTES}
     * (manifest.json) or the file itself.
     */
    private static Map<String, byte[]> readEntries(Path file, byte[] bytes) throws InvalidModelFileException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getMethod() != ZipEntry.STORED) {
                    throw new InvalidModelFileException(file, "entry '" + e.getName() + "' is compressed (ZIP method "
                            + e.getMethod() + "); format version 1 stores its entries uncompressed, so it was not "
                            + "written by brainstate4j and is not inflated");
                }
                long limit = e.getName().equals(MANIFEST_ENTRY) ? MAX_MANIFEST_BYTES : bytes.length;
                if (e.getSize() > limit) {
                    throw new InvalidModelFileException(file, "entry '" + e.getName() + "' declares " + e.getSize()
                            + " bytes, more than " + (limit == bytes.length ? "the whole file (" + limit + " bytes)"
                            : "the " + limit + " bytes a manifest may have"));
                }
                byte[] data = zip.readNBytes((int) limit + (limit < Integer.MAX_VALUE ? 1 : 0));
                if (data.length > limit) {
                    throw new InvalidModelFileException(file, "entry '" + e.getName() + "' is longer than " + limit + " bytes");
                }
                if (entries.put(e.getName(), data) != null) {
                    throw new InvalidModelFileException(file, "the archive has two entries named '" + e.getName() + "'");
                }
            }
        } catch (InvalidModelFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelFileException(file, "damaged ZIP structure: " + e.getMessage(), e);
        }
        return entries;
    }

    private static String describeForeign(byte[] bytes) {
        String head = HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes, 0, Math.min(8, bytes.length));
        String what;
        if (startsWith(bytes, 0x89, 'P', 'N', 'G')) what = "it is a PNG image";
        else if (startsWith(bytes, 0x93, 'N', 'U', 'M', 'P', 'Y')) what = "it is a NumPy .npy array";
        else if (startsWith(bytes, 0x1f, 0x8b)) what = "it is gzip-compressed data";
        else if (startsWith(bytes, '%', 'P', 'D', 'F')) what = "it is a PDF document";
        else if (startsWith(bytes, 'P', 'K')) what = "it is a damaged ZIP archive (bad first entry signature)";
        else if (looksLikeFlatGraph(bytes)) {
            what = "it looks like a plain SameDiff FlatBuffers file (as written by SameDiff.save or asFlatFile); "
                    + "load that with SameDiff.load, then save it with ModelFile.save";
        } else what = "it does not start with a ZIP signature";
        return what + " (first bytes: " + head + ")";
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if ((bytes[i] & 0xff) != prefix[i]) return false;
        return true;
    }

    private static boolean looksLikeFlatGraph(byte[] bytes) {
        if (bytes.length < 16) return false;
        int root = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (root < 4 || root >= bytes.length - 4) return false;
        try {
            FlatGraph g = FlatGraph.getRootAsFlatGraph(ByteBuffer.wrap(bytes));
            int n = g.variablesLength();
            return n > 0 && n < bytes.length && g.variables(0).name() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The manifest with every field checked, or why it is not one this version reads. */
    private static Manifest parseManifest(Path file, byte[] json) throws InvalidModelFileException {
        JsonObject o;
        try {
            JsonElement root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) throw new JsonParseException("not a JSON object");
            o = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new InvalidModelFileException(file, "manifest.json is not valid JSON (" + e.getMessage() + ")", e);
        }
        String format = string(file, o, "format");
        if (!FORMAT.equals(format)) {
            throw new InvalidModelFileException(file, "manifest.json is for format '" + format + "', not '" + FORMAT
                    + "'; not a brainstate4j model file");
        }
        int version = (int) number(file, o, "formatVersion");
        if (version > FORMAT_VERSION) {
            throw new InvalidModelFileException(file, "it has format version " + version + ", newer than this brainstate4j ("
                    + libraryVersion() + ") reads (version " + FORMAT_VERSION + " and older); upgrade brainstate4j to load it");
        }
        if (version < 1) {
            throw new InvalidModelFileException(file, "manifest.json has an invalid format version " + version);
        }
        try {
            List<Manifest.Variable> vars = new ArrayList<>();
            JsonElement jv = o.get("trainableVariables");
            if (jv == null || !jv.isJsonArray()) throw new InvalidModelFileException(file, "manifest.json lacks 'trainableVariables'");
            for (JsonElement e : jv.getAsJsonArray()) {
                JsonObject v = e.getAsJsonObject();
                JsonArray s = v.getAsJsonArray("shape");
                long[] shape = new long[s.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).getAsLong();
                vars.add(new Manifest.Variable(string(file, v, "name"), shape, string(file, v, "dataType")));
            }
            Map<String, String> meta = new LinkedHashMap<>();
            JsonElement jm = o.get("metadata");
            if (jm != null && jm.isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : jm.getAsJsonObject().entrySet()) meta.put(e.getKey(), e.getValue().getAsString());
            }
            JsonElement updater = o.get("updater");
            return new Manifest(format, version, string(file, o, "brainstate4jVersion"), Instant.parse(string(file, o, "createdAt")),
                    bool(file, o, "updaterState"), updater == null || updater.isJsonNull() ? null : updater.getAsString(),
                    string(file, o, "dataType"), vars, number(file, o, "graphBytes"), string(file, o, "graphSha256"), meta);
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "manifest.json is malformed (" + e + ")", e);
        }
    }

    private static JsonElement field(Path file, JsonObject o, String name) throws InvalidModelFileException {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
            throw new InvalidModelFileException(file, "manifest.json lacks the field '" + name + "'");
        }
        return e;
    }

    private static String string(Path file, JsonObject o, String name) throws InvalidModelFileException {
        return field(file, o, name).getAsString();
    }

    private static long number(Path file, JsonObject o, String name) throws InvalidModelFileException {
        JsonElement e = field(file, o, name);
        if (!e.getAsJsonPrimitive().isNumber()) throw new InvalidModelFileException(file, "manifest.json: '" + name + "' is not a number");
        return e.getAsLong();
    }

    private static boolean bool(Path file, JsonObject o, String name) throws InvalidModelFileException {
        JsonElement e = field(file, o, name);
        if (!e.getAsJsonPrimitive().isBoolean()) throw new InvalidModelFileException(file, "manifest.json: '" + name + "' is not true/false");
        return e.getAsBoolean();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c >= 32 && c < 127 ? c : '?');
        return b.toString();
    }
}
