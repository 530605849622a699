package org.brainstate4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic number
 * {@code 0x00 0x00 <type> <ndim>}, then {@code ndim} big-endian 32-bit dimension sizes, then the
 * elements in row-major order, nothing after. Files may be gzipped or raw; gzip is recognised by
 * its magic bytes {@code 0x1f 0x8b}, not by the file name.
 *
 * <p>Only single-byte element types are read ({@code 0x08} unsigned byte, {@code 0x09} signed
 * byte); the other IDX types ({@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float,
 * {@code 0x0E} double) are refused by name.
 *
 * <p>Every problem with the content is an {@link InvalidDataFileException} naming the file and
 * the problem: empty file, bad magic, unknown or unsupported type, a header or body that ends early
 * (with the declared and the actual length), trailing bytes, a truncated or corrupt gzip stream,
 * the wrong number of dimensions for images or labels, a label out of range, an images/labels count
 * mismatch. Nothing is returned half-read.
 */
final class IdxReader {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    /** Largest body this reader will hold in one Java array. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Buffer size to start with when the final size cannot be trusted (gzip without a matching ISIZE). */
    private static final int INITIAL_CHUNK = 1 << 22;

    private IdxReader() {}

    /**
     * Reads a whole IDX file with single-byte elements.
     *
     * @throws InvalidDataFileException if the content is not a complete, well-formed IDX file
     * @throws IOException if the file cannot be read at all (e.g. {@link java.nio.file.NoSuchFileException})
     */
    public static IdxFile read(Path file) throws IOException {
        boolean gzip = isGzip(file);
        long rawSize = Files.size(file);
        long gzipIsize = gzip ? gzipIsize(file, rawSize) : -1;
        try (InputStream fileIn = Files.newInputStream(file)) {
            InputStream in = new BufferedInputStream(fileIn, 1 << 16);
            if (gzip) {
                try {
                    in = new GZIPInputStream(in, 1 << 16);
                } catch (EOFException | ZipException e) {
                    throw new InvalidDataFileException(file, "the gzip header is truncated or corrupt (" + e.getMessage() + ")", e);
                }
            }
            return parse(file, new Counting(file, in, gzip), gzip, rawSize, gzipIsize);
        }
    }

    /**
     * Reads an image file: unsigned bytes, exactly 3 dimensions {@code [count, rows, cols]}.
     *
     * @throws InvalidDataFileException for any defect {@link #read} reports, or a different rank or type
     */
    public static IdxFile readImages(Path file) throws IOException {
        IdxFile idx = read(file);
        requireUnsigned(idx, "an image file");
        if (idx.rank() != 3) {
            throw new InvalidDataFileException(file, "expected an image file with 3 dimensions [count, rows, cols], found "
                    + idx.rank() + (idx.rank() == 1 ? " dimension " : " dimensions ") + Arrays.toString(idx.dims())
                    + (idx.rank() == 1 ? " (is this a label file?)" : ""));
        }
        return idx;
    }

    /**
     * Reads a label file: unsigned bytes, exactly 1 dimension {@code [count]}, every label in
     * {@code 0 .. numClasses-1}.
     *
     * @throws InvalidDataFileException for any defect {@link #read} reports, a different rank or type,
     *     or a label out of range (the first one is named with its position)
     */
    public static IdxFile readLabels(Path file, int numClasses) throws IOException {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in 1..256, got " + numClasses);
        }
        IdxFile idx = read(file);
        requireUnsigned(idx, "a label file");
        if (idx.rank() != 1) {
            throw new InvalidDataFileException(file, "expected a label file with 1 dimension [count], found "
                    + idx.rank() + " dimensions " + Arrays.toString(idx.dims())
                    + (idx.rank() == 3 ? " (is this an image file?)" : ""));
        }
        byte[] data = idx.data();
        for (int i = 0; i < data.length; i++) {
            int label = data[i] & 0xFF;
            if (label >= numClasses) {
                throw new InvalidDataFileException(file, "label " + label + " at item " + i + " is outside 0.."
                        + (numClasses - 1));
            }
        }
        return idx;
    }

    /**
     * Checks that an images file and a labels file describe the same items.
     *
     * @throws InvalidDataFileException naming the labels file (and, in the message, the images file)
     */
    public static void checkSameCount(IdxFile images, IdxFile labels) throws InvalidDataFileException {
        if (images.count() != labels.count()) {
            throw new InvalidDataFileException(labels.file(), "holds " + labels.count() + " labels but the images file "
                    + images.file() + " holds " + images.count() + " images; the two must describe the same items");
        }
    }

    // ---- parsing -----------------------------------------------------------------------------

    private static IdxFile parse(Path file, Counting in, boolean gzip, long rawSize, long gzipIsize) throws IOException {
        String ends = gzip ? "the decompressed data ends after " : "the file ends after ";
        byte[] magic = new byte[4];
        int n = in.readUpTo(magic, 0, 4);
        if (n == 0) {
            throw new InvalidDataFileException(file, gzip ? "the gzip data decompresses to nothing" : "the file is empty");
        }
        if (n < 4) {
            throw new InvalidDataFileException(file, ends + n + (n == 1 ? " byte" : " bytes")
                    + ", inside the 4-byte magic number (0x00 0x00 <type> <number of dimensions>)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new InvalidDataFileException(file, String.format("bad magic number 0x%02X%02X%02X%02X: an IDX file starts with "
                    + "two zero bytes, then the element type and the number of dimensions",
                    magic[0] & 0xFF, magic[1] & 0xFF, magic[2] & 0xFF, magic[3] & 0xFF));
        }
        int type = magic[2] & 0xFF;
        if (type != IdxFile.UNSIGNED_BYTE && type != IdxFile.SIGNED_BYTE) {
            String known = typeName(type);
            throw new InvalidDataFileException(file, known != null
                    ? String.format("unsupported element type 0x%02X (%s): only 0x08 (unsigned byte) and 0x09 (signed byte) are read", type, known)
                    : String.format("unknown element type 0x%02X: IDX defines 0x08, 0x09, 0x0B, 0x0C, 0x0D and 0x0E", type));
        }
        int ndim = magic[3] & 0xFF;
        if (ndim == 0) {
            throw new InvalidDataFileException(file, "the magic number declares 0 dimensions; an IDX file has at least one");
        }
        int headerLen = 4 + 4 * ndim;
        byte[] dimBytes = new byte[4 * ndim];
        n = in.readUpTo(dimBytes, 0, dimBytes.length);
        if (n < dimBytes.length) {
            throw new InvalidDataFileException(file, "the header declares " + ndim + " dimensions (a " + headerLen
                    + "-byte header) but " + ends + (4 + n) + " bytes");
        }
        ByteBuffer bb = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[ndim];
        long total = 1;
        for (int d = 0; d < ndim; d++) {
            dims[d] = bb.getInt();
            if (dims[d] < 0) {
                throw new InvalidDataFileException(file, "dimension " + d + " is " + Integer.toUnsignedString(dims[d])
                        + " (as an unsigned 32-bit number), far more than any real IDX file holds");
            }
            total *= dims[d];
            if (total > MAX_ELEMENTS) {
                throw new InvalidDataFileException(file, "the dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                        + (d + 1 < ndim ? "..." : "") + " make more than " + MAX_ELEMENTS + " elements, more than this reader holds");
            }
        }
        String declared = "the header declares " + describe(dims) + " (" + total + " data bytes after the " + headerLen
                + "-byte header, " + (headerLen + total) + " bytes in all)";
        in.context = declared;
        if (!gzip && rawSize < headerLen + total) {
            // Known before reading: refuse without allocating the declared size.
            throw new InvalidDataFileException(file, declared + " but the file ends after " + rawSize + " bytes");
        }
        byte[] data = readBody(in, (int) total, gzip && gzipIsize == ((headerLen + total) & 0xFFFFFFFFL));
        if (data == null) {
            throw new InvalidDataFileException(file, declared + " but " + ends + in.count + " bytes");
        }
        long extra = in.drain();
        if (extra > 0) {
            throw new InvalidDataFileException(file, (gzip ? "the decompressed data has " : "the file has ") + extra
                    + " bytes of trailing data after the " + (headerLen + total) + " bytes its header declares ("
                    + describe(dims) + ")");
        }
        return new IdxFile(file, type, dims, data);
    }

    /** Reads exactly {@code total} bytes, or returns null if the stream ends first. */
    private static byte[] readBody(Counting in, int total, boolean sizeTrusted) throws IOException {
        if (sizeTrusted || total <= INITIAL_CHUNK) {
            byte[] data = new byte[total];
            return in.readUpTo(data, 0, total) == total ? data : null;
        }
        // The declared size is not confirmed by the gzip trailer: grow as data actually arrives, so a
        // corrupt header cannot make us allocate gigabytes up front.
        byte[] data = new byte[INITIAL_CHUNK];
        int have = 0;
        while (have < total) {
            if (have == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
            }
            int n = in.readUpTo(data, have, data.length - have);
            if (n == 0) return null;
            have += n;
        }
        return data;
    }

    private static String describe(int[] dims) {
        StringBuilder sb = new StringBuilder().append(dims[0]).append(dims[0] == 1 ? " item" : " items");
        if (dims.length > 1) {
            sb.append(" of ");
            for (int d = 1; d < dims.length; d++) sb.append(d > 1 ? "x" : "").append(dims[d]);
        }
        return sb.toString();
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x08: return "unsigned byte";
            case 0x09: return "signed byte";
            case 0x0B: return "16-bit integer";
            case 0x0C: return "32-bit integer";
            case 0x0D: return "32-bit float";
            case 0x0E: return "64-bit float";
            default: return null;
        }
    }

    private static void requireUnsigned(IdxFile idx, String what) throws InvalidDataFileException {
        if (idx.type() != IdxFile.UNSIGNED_BYTE) {
            throw new InvalidDataFileException(idx.file(), String.format("element type 0x%02X (%s), but %s holds unsigned bytes (0x08)",
                    idx.type(), typeName(idx.type()), what));
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
        }
    }

    /** The gzip trailer's ISIZE (uncompressed size mod 2^32 of the last member), or -1. */
    private static long gzipIsize(Path file, long size) throws IOException {
        if (size < 18) return -1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, size - 4 + b.position()) < 0) return -1;
            }
            return b.getInt(0) & 0xFFFFFFFFL;
        }
    }

    /** Counts (decompressed) bytes and turns gzip failures into {@link InvalidDataFileException}. */
    private static final class Counting {
        private final Path file;
        private final InputStream in;
        private final boolean gzip;
        long count;
        /** What the header declared, once known: added to gzip failure messages. */
        String context;

        Counting(Path file, InputStream in, boolean gzip) {
            this.file = file;
            this.in = in;
            this.gzip = gzip;
        }

        /** Reads until {@code len} bytes or end of stream; returns how many were read. */
        int readUpTo(byte[] b, int off, int len) throws IOException {
            int done = 0;
            while (done < len) {
                int n;
                try {
                    n = in.read(b, off + done, len - done);
                } catch (EOFException | ZipException e) {
                    throw gzipFailure(e);
                }
                if (n < 0) break;
                done += n;
                count += n;
            }
            return done;
        }

        /** Reads to the end, returning how many bytes were left. */
        long drain() throws IOException {
            byte[] buf = new byte[8192];
            long extra = 0;
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (EOFException | ZipException e) {
                    throw gzipFailure(e);
                }
                if (n < 0) return extra;
                extra += n;
            }
        }

        private IOException gzipFailure(IOException e) {
            if (!gzip) return e;
            return new InvalidDataFileException(file, "the gzip data is truncated or corrupt after " + count
                    + " decompressed bytes (" + e.getMessage() + ")" + (context == null ? "" : "; " + context), e);
        }
    }
}
