package org.brainstate4j.io;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;

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
 *
 * <p>The work is done by {@code ModelFileWriter} (saving), {@code ModelFileReader} (loading and every
 * check) and {@code ModelFileFormat} (the layout both agree on); this class is their public face.
 */
public final class ModelFile {
    private ModelFile() {}

    /** The {@code format} of every manifest. */
    public static final String FORMAT = "brainstate4j-model";
    /** The newest (and only) container format version this library writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** A loaded graph with the manifest it was saved with. */
    public record Loaded(SameDiff sameDiff, Manifest manifest) {
        /** The caller's metadata given at save time. */
        public Map<String, String> metadata() {
            return manifest.metadata();
        }
    }

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
        return ModelFileWriter.save(sd, file, withUpdaterState, metadata);
    }

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
        return ModelFileReader.load(file, withUpdaterState);
    }

    /** Verifies {@code file} completely (as {@link #load} does, short of building the graph) and returns its manifest. */
    public static Manifest readManifest(Path file) throws IOException {
        return ModelFileReader.readManifest(file);
    }
}
