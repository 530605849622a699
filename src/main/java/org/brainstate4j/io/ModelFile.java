package org.brainstate4j.io;

import org.brainstate4j.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.graph.FlatGraph;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One file holding a SameDiff graph, its parameters and optionally its updater state, written with
 * SameDiff's own FlatBuffers serialization ({@code sd.asFlatBuffers}, what {@code sd.save} writes)
 * inside a checked container.
 *
 * <h2>Format (version {@value #FORMAT_VERSION})</h2>
 * A standard ZIP archive (readable with {@code unzip} or Python's {@code zipfile}) with two stored
 * (uncompressed) entries, in this order:
 * <ul>
 *   <li>{@code manifest.json}: see {@link Manifest} (format name and version, library version,
 *       creation time, whether updater state is included, data type, trainable variables with shapes,
 *       size and SHA-256 of {@code graph.fb}, the caller's metadata);</li>
 *   <li>{@code graph.fb}: the SameDiff FlatBuffers bytes: graph, variable values, training
 *       configuration (updater, iteration count) and, when saved with it, the updater state.</li>
 * </ul>
 * The ZIP archive comment, the last 84 bytes of the file, is {@code brainstate4j-sha256:} followed by
 * the SHA-256 (64 hex digits) of every byte of the file before those 64 digits. This trailer is the
 * frozen envelope of every format version: a byte flipped anywhere in the file, or a file cut short,
 * is detected before anything is parsed. The SHA-256 of {@code graph.fb} in the manifest is checked
 * again before the bytes are handed to SameDiff (whose FlatBuffers reader has no integrity check of
 * its own and silently loads many damaged files).
 *
 * <h2>Saving</h2>
 * Atomic: the file is written to {@code .<name>.tmp-<random>} in the same directory, forced to disk
 * ({@code FileChannel.force}), and renamed over the target with {@code ATOMIC_MOVE}; the directory is
 * then forced too. Whatever happens during a save (an exception, the JVM killed), the path holds either
 * the previous complete file or the new one. A failed save deletes its temporary file; a killed save
 * cannot, and the next save to the same path deletes such leftovers (those whose writer no longer
 * holds the file lock, see {@code AtomicFiles}).
 *
 * <h2>Loading</h2>
 * {@link #load} reads the whole file, checks the trailer, the ZIP entries (CRC-32), the manifest, the
 * format version and the graph's SHA-256, then deserializes with {@code SameDiff.fromFlatBuffers} and
 * checks that the trainable variables match the manifest. Any problem is an
 * {@link InvalidModelFileException} naming the file; nothing is returned half-loaded.
 *
 * <p>A loaded graph owns new arrays: it is not connected to the {@link org.brainstate4j.nn.Module}
 * objects that built the saved graph (use {@link ParameterExchange} to move values between them).
 * Without updater state, further training starts the updater (e.g. Adam's moments) afresh, while the
 * saved training configuration keeps its iteration count.
 */
public final class ModelFile {
    private ModelFile() {}

    /** The {@code format} of every manifest. */
    public static final String FORMAT = "brainstate4j-model";
    /** The newest (and only) container format version this library writes and reads. */
    public static final int FORMAT_VERSION = 1;

    static final String MANIFEST_ENTRY = "manifest.json";
    static final String GRAPH_ENTRY = "graph.fb";
    static final String TRAILER_PREFIX = "brainstate4j-sha256:";
    static final int DIGEST_HEX = 64;
    private static final int COMMENT_LENGTH = TRAILER_PREFIX.length() + DIGEST_HEX;
    private static final int EOCD_LENGTH = 22;
    /** The longest manifest.json read (a manifest lists the graph's trainable variables: kilobytes). */
    static final int MAX_MANIFEST_BYTES = 16 << 20;
    private static final java.util.regex.Pattern SHAPE_ARRAY = java.util.regex.Pattern.compile("\"shape\": \\[([-0-9,\\s]*)\\]");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** A loaded graph with the manifest it was saved with. */
    public record Loaded(SameDiff sameDiff, Manifest manifest) {
        /** The caller's metadata given at save time. */
        public Map<String, String> metadata() {
            return manifest.metadata();
        }
    }

    // ------------------------------------------------------------------ saving

    /**
     * Saves {@code sd} to {@code file}, atomically replacing any file there.
     *
     * @param withUpdaterState include the updater state (needed to continue training exactly where it
     *                         stopped); an {@link IllegalStateException} if the graph has none yet
     *                         (never trained, or loaded without it)
     * @param metadata         free-form key/value pairs stored in the manifest (may be null)
     * @return the manifest written
     */
    public static Manifest save(SameDiff sd, Path file, boolean withUpdaterState, Map<String, String> metadata) throws IOException {
        if (sd == null) throw new IllegalArgumentException("the graph to save must not be null");
        if (file == null) throw new IllegalArgumentException("the file to save to must not be null");
        Map<String, String> meta = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException("metadata keys and values must not be null (key '" + k + "')");
                }
                meta.put(k, v);
            });
        }

        ByteBuffer fb = sd.asFlatBuffers(withUpdaterState);
        byte[] graph = new byte[fb.remaining()];
        fb.get(graph);
        boolean hasUpdaterState = FlatGraph.getRootAsFlatGraph(ByteBuffer.wrap(graph)).updaterStateLength() > 0;
        if (withUpdaterState && !hasUpdaterState) {
            throw new IllegalStateException("cannot save " + file + " with updater state: the graph has no updater state "
                    + "(it has not been trained, or it was loaded without updater state); save with withUpdaterState=false");
        }

        List<Manifest.Variable> variables = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) continue;
            long[] shape = v.getArr() != null ? v.getArr().shape() : v.getShape();
            variables.add(new Manifest.Variable(v.name(), shape == null ? new long[0] : shape, v.dataType().name()));
            types.add(v.dataType().name());
        }
        variables.sort(java.util.Comparator.comparing(Manifest.Variable::name)); // SameDiff's own order is a hash order
        String dataType = types.isEmpty() ? "NONE" : types.size() == 1 ? types.iterator().next() : "MIXED";
        String updater = sd.getTrainingConfig() == null || sd.getTrainingConfig().getUpdater() == null ? null
                : sd.getTrainingConfig().getUpdater().getClass().getSimpleName();
        Manifest manifest = new Manifest(FORMAT, FORMAT_VERSION, libraryVersion(), Instant.now(), hasUpdaterState, updater,
                dataType, variables, graph.length, sha256Hex(graph, 0, graph.length), meta);
        byte[] manifestBytes = toJson(manifest).getBytes(StandardCharsets.UTF_8);

        AtomicFiles.write(file, out -> writeContainer(out, manifestBytes, graph, manifest.createdAt().toEpochMilli()));
        return manifest;
    }

    /** Writes the ZIP container with its checksum trailer (package-private so tests can build odd files). */
    static void writeContainer(OutputStream out, byte[] manifestJson, byte[] graph, long time) throws IOException {
        TrailerOutputStream trailer = new TrailerOutputStream(out);
        ZipOutputStream zip = new ZipOutputStream(trailer, StandardCharsets.UTF_8);
        zip.setComment(TRAILER_PREFIX + "0".repeat(DIGEST_HEX));
        putStored(zip, MANIFEST_ENTRY, manifestJson, time);
        putStored(zip, GRAPH_ENTRY, graph, time);
        zip.finish();
        trailer.writeDigest();
        trailer.flush();
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] data, long time) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        e.setTime(time);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Passes everything through, hashing all but the last 64 bytes, which it holds back; those must
     * be the zero placeholder of the archive comment and are replaced by the hex SHA-256.
     */
    private static final class TrailerOutputStream extends FilterOutputStream {
        private final MessageDigest digest = sha256();
        private final byte[] tail = new byte[DIGEST_HEX];
        private int tailLength;

        TrailerOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int emit = tailLength + len - DIGEST_HEX;
            if (emit <= 0) {
                System.arraycopy(b, off, tail, tailLength, len);
                tailLength += len;
                return;
            }
            int fromTail = Math.min(emit, tailLength);
            pass(tail, 0, fromTail);
            int fromChunk = emit - fromTail;
            pass(b, off, fromChunk);
            int keep = tailLength - fromTail;
            System.arraycopy(tail, fromTail, tail, 0, keep);
            System.arraycopy(b, off + fromChunk, tail, keep, len - fromChunk);
            tailLength = keep + len - fromChunk;
        }

        private void pass(byte[] b, int off, int len) throws IOException {
            if (len <= 0) return;
            digest.update(b, off, len);
            out.write(b, off, len);
        }

        void writeDigest() throws IOException {
            byte[] placeholder = "0".repeat(DIGEST_HEX).getBytes(StandardCharsets.US_ASCII);
            if (tailLength != DIGEST_HEX || !Arrays.equals(tail, placeholder)) {
                throw new IllegalStateException("internal error: the archive does not end with the checksum placeholder");
            }
            out.write(HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII));
            tailLength = 0;
        }

        @Override
        public void close() throws IOException {
            flush(); // the caller owns the underlying stream
        }
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads a model file written by {@link #save}.
     *
     * @param withUpdaterState load the updater state too (to continue training); an
     *                         {@link InvalidModelFileException} if the file was saved without it
     * @throws InvalidModelFileException the file is empty, truncated, damaged, foreign, from a newer
     *                                   format version, or lacks the updater state asked for
     * @throws NoSuchFileException       there is no such file
     */
    public static Loaded load(Path file, boolean withUpdaterState) throws IOException {
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

    /** Verifies {@code file} completely (as {@link #load} does, short of building the graph) and returns its manifest. */
    public static Manifest readManifest(Path file) throws IOException {
        return verify(file).manifest;
    }

    private record Verified(Manifest manifest, byte[] graph) {}

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
     * inflated), and no entry may be longer than {@link #MAX_MANIFEST_BYTES} (manifest.json) or the
     * file itself.
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

    // ------------------------------------------------------------------ manifest JSON

    static String toJson(Manifest m) {
        JsonObject o = new JsonObject();
        o.addProperty("format", m.format());
        o.addProperty("formatVersion", m.formatVersion());
        o.addProperty("brainstate4jVersion", m.brainstate4jVersion());
        o.addProperty("createdAt", m.createdAt().toString());
        o.addProperty("updaterState", m.updaterState());
        o.addProperty("updater", m.updater());
        o.addProperty("dataType", m.dataType());
        JsonArray vars = new JsonArray();
        for (Manifest.Variable v : m.trainableVariables()) {
            JsonObject jv = new JsonObject();
            jv.addProperty("name", v.name());
            JsonArray shape = new JsonArray();
            for (long d : v.shape()) shape.add(d);
            jv.add("shape", shape);
            jv.addProperty("dataType", v.dataType());
            vars.add(jv);
        }
        o.add("trainableVariables", vars);
        o.addProperty("graphEntry", GRAPH_ENTRY);
        o.addProperty("graphBytes", m.graphBytes());
        o.addProperty("graphSha256", m.graphSha256());
        JsonObject meta = new JsonObject();
        m.metadata().forEach(meta::addProperty);
        o.add("metadata", meta);
        // Pretty-printed, with each shape on one line: "shape": [3, 3, 3, 6]
        java.util.regex.Matcher shapes = SHAPE_ARRAY.matcher(GSON.toJson(o));
        StringBuilder json = new StringBuilder();
        while (shapes.find()) {
            String dims = String.join(", ", shapes.group(1).trim().split("\\s*,\\s*"));
            shapes.appendReplacement(json, "\"shape\": [" + dims + "]");
        }
        shapes.appendTail(json);
        return json + "\n";
    }

    static Manifest parseManifest(Path file, byte[] json) throws InvalidModelFileException {
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

    // ------------------------------------------------------------------ helpers

    static String libraryVersion() {
        String v = ModelFile.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static String sha256Hex(byte[] bytes, int off, int len) {
        MessageDigest d = sha256();
        d.update(bytes, off, len);
        return HexFormat.of().formatHex(d.digest());
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c >= 32 && c < 127 ? c : '?');
        return b.toString();
    }
}
