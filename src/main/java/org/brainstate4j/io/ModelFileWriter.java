package org.brainstate4j.io;

import static org.brainstate4j.io.ModelFile.FORMAT;
import static org.brainstate4j.io.ModelFile.FORMAT_VERSION;
import static org.brainstate4j.io.ModelFileFormat.DIGEST_HEX;
import static org.brainstate4j.io.ModelFileFormat.GRAPH_ENTRY;
import static org.brainstate4j.io.ModelFileFormat.MANIFEST_ENTRY;
import static org.brainstate4j.io.ModelFileFormat.TRAILER_PREFIX;
import static org.brainstate4j.io.ModelFileFormat.libraryVersion;
import static org.brainstate4j.io.ModelFileFormat.sha256;
import static org.brainstate4j.io.ModelFileFormat.sha256Hex;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipOutputStream;
import org.brainstate4j.AtomicFiles;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.graph.FlatGraph;

/**
 * Writing a {@link ModelFile}: the manifest built from the graph, its JSON, and the ZIP container
 * sealed with the SHA-256 trailer, saved atomically through {@code AtomicFiles}. Kept apart from
 * {@link ModelFileReader} so that the writing side, small and trusted, is not mixed with the checks
 * that the reading side runs on untrusted files; what both must agree on is in {@link ModelFileFormat}.
 */
final class ModelFileWriter {
    private static final java.util.regex.Pattern SHAPE_ARRAY = java.util.regex.Pattern.compile("\"shape\": \\[([-0-9,\\s]*)\\]");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private ModelFileWriter() {}

    /** {@link ModelFile#save}: see there. */
    static Manifest save(SameDiff sd, Path file, boolean withUpdaterState, Map<String, String> metadata) throws IOException {
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
        zip.putNextEntry(ZipEntries.stored(name, data, time));
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

    /** The manifest as written: pretty-printed JSON, each shape on one line, ending with a newline. */
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
}
