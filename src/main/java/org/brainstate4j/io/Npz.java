package org.brainstate4j.io;

import org.brainstate4j.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npz} archives (and single {@code .npy} arrays) of float32 / float64 arrays, keyed
 * by strings such as parameter paths ({@code enc1/weight}).
 *
 * <p>Layout, as {@code np.savez} writes it: a ZIP archive with one entry {@code <key>.npy} per
 * array (so {@code enc1/weight} is stored as the entry {@code enc1/weight.npy}, and
 * {@code np.load(f)["enc1/weight"]} finds it). Each entry is an NPY file (format 1.0, or 2.0 for
 * headers over 64 KiB): little-endian, C order, header padded to a multiple of 64 bytes.
 *
 * <p>Reading accepts what {@code np.savez} and {@code np.savez_compressed} write: stored or
 * deflated entries, NPY format 1.0/2.0/3.0, little- or big-endian float32/float64, C or Fortran
 * order, any rank including 0 (scalars) and zero-size arrays. Arrays come back in C order with
 * their file dtype. Every entry's CRC-32 is checked. Anything else (other dtypes, object arrays,
 * truncated or damaged archives, trailing bytes) is refused with an {@link InvalidArrayFileException}
 * naming the file and the entry. ({@code Nd4j.createFromNpzFile} is not used: in 1.0.0-M2.1 it
 * fails on compressed archives; canary: {@code workarounds.Dl4jM21CanaryTest}, test sources.) No entry is read beyond {@link #MAX_ENTRY_BYTES}, checked on its
 * declared size before anything is allocated, nor beyond the size it declares (zip bombs).
 *
 * <p>Writing is atomic (temporary file in the same directory, fsync, atomic rename; see
 * {@link ModelFile}), so an interrupted write leaves any previous file intact.
 */
public final class Npz {
    private Npz() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** The largest entry (or {@code .npy} file) read, in bytes: 1 GiB, checked before anything is allocated. */
    public static final long MAX_ENTRY_BYTES = 1L << 30;

    // ------------------------------------------------------------------ reading

    /** Reads every array of an {@code .npz} archive, in archive order, keyed without {@code .npy}. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("the .npz file to read must not be null");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        if (Files.size(file) == 0) throw new InvalidArrayFileException(file, "the file is empty (0 bytes), not an .npz archive");
        Map<String, INDArray> out = new LinkedHashMap<>();
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new InvalidArrayFileException(file, "not a readable .npz (ZIP) archive; it may be truncated or "
                    + "not an .npz at all (" + e.getMessage() + ")", e);
        }
        try (zip) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()) {
                    throw new InvalidArrayFileException(file, "entry '" + name + "' is a directory; an .npz holds only .npy entries");
                }
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                if (out.containsKey(key)) {
                    throw new InvalidArrayFileException(file, "two entries give the key '" + key + "'");
                }
                if (entry.getSize() > MAX_ENTRY_BYTES) {
                    throw new InvalidArrayFileException(file, "entry '" + name + "' declares " + entry.getSize()
                            + " bytes, over the limit of " + MAX_ENTRY_BYTES + " bytes per array (Npz.MAX_ENTRY_BYTES)");
                }
                long declared = entry.getSize() >= 0 ? entry.getSize() : MAX_ENTRY_BYTES;
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    // One byte more than declared: an entry that inflates beyond its declared size is refused.
                    bytes = in.readNBytes((int) declared + 1);
                } catch (ZipException | java.io.EOFException e) {
                    throw new InvalidArrayFileException(file, "entry '" + name + "' cannot be decompressed; the archive is damaged ("
                            + e.getMessage() + ")", e);
                }
                if (bytes.length > declared) {
                    throw new InvalidArrayFileException(file, "entry '" + name + "' inflates to more than "
                            + (entry.getSize() >= 0 ? "the " + declared + " bytes it declares" : "the limit of " + declared + " bytes"));
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                    throw new InvalidArrayFileException(file, String.format(
                            "entry '%s' is damaged: CRC-32 %08x of its %d bytes does not match the recorded %08x",
                            name, crc.getValue(), bytes.length, entry.getCrc()));
                }
                out.put(key, parseNpy(bytes, file, "entry '" + name + "'"));
            }
        } catch (ZipException e) {
            throw new InvalidArrayFileException(file, "damaged .npz (ZIP) archive: " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Reads one {@code .npy} file. */
    public static INDArray readNpy(Path file) throws IOException {
        if (file == null) throw new IllegalArgumentException("the .npy file to read must not be null");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        if (Files.size(file) > MAX_ENTRY_BYTES) {
            throw new InvalidArrayFileException(file, "the file has " + Files.size(file) + " bytes, over the limit of "
                    + MAX_ENTRY_BYTES + " bytes per array (Npz.MAX_ENTRY_BYTES)");
        }
        return parseNpy(Files.readAllBytes(file), file, "the file");
    }

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    static INDArray parseNpy(byte[] bytes, Path file, String where) throws InvalidArrayFileException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new InvalidArrayFileException(file, where + " is not an NPY array (it does not start with \\x93NUMPY)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new InvalidArrayFileException(file, where + " is truncated inside its NPY header");
            headerLen = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new InvalidArrayFileException(file, where + " has NPY format version " + major + "." + (bytes[7] & 0xff)
                    + "; versions 1.0, 2.0 and 3.0 are supported");
        }
        if (headerStart + headerLen > bytes.length) {
            throw new InvalidArrayFileException(file, where + " is truncated: its NPY header says " + headerLen
                    + " header bytes but only " + (bytes.length - headerStart) + " follow");
        }
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!header.trim().startsWith("{") || !d.find() || !f.find() || !s.find()) {
            throw new InvalidArrayFileException(file, where + " has a malformed NPY header: " + header.trim());
        }
        String descr = d.group(1);
        ByteOrder order;
        DataType type;
        switch (descr) {
            case "<f4", "=f4" -> { order = ByteOrder.LITTLE_ENDIAN; type = DataType.FLOAT; }
            case ">f4" -> { order = ByteOrder.BIG_ENDIAN; type = DataType.FLOAT; }
            case "<f8", "=f8" -> { order = ByteOrder.LITTLE_ENDIAN; type = DataType.DOUBLE; }
            case ">f8" -> { order = ByteOrder.BIG_ENDIAN; type = DataType.DOUBLE; }
            default -> throw new InvalidArrayFileException(file, where + " has dtype '" + descr
                    + "'; only float32 ('<f4') and float64 ('<f8') arrays are supported");
        }
        boolean fortran = f.group(1).equals("True");
        long[] shape;
        try {
            shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                    .map(t -> t.endsWith("L") ? t.substring(0, t.length() - 1) : t).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new InvalidArrayFileException(file, where + " has a malformed shape in its NPY header: (" + s.group(1) + ")");
        }
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) throw new InvalidArrayFileException(file, where + " has a negative dimension in shape " + Arrays.toString(shape));
        }
        int itemSize = type == DataType.FLOAT ? 4 : 8;
        long dataStart = headerStart + headerLen;
        long available = bytes.length - dataStart;
        count = org.brainstate4j.nn.SizeLimits.product(shape);
        if (count > available / itemSize + 1) { // more elements than the bytes present could hold (also: overflow)
            throw new InvalidArrayFileException(file, String.format("%s: shape %s of %s needs %s data bytes but %d are present (truncated)",
                    where, Arrays.toString(shape), type == DataType.FLOAT ? "float32" : "float64",
                    count > Long.MAX_VALUE / itemSize ? "more than 9.2e18" : Long.toString(count * itemSize), available));
        }
        if (available != count * itemSize) {
            throw new InvalidArrayFileException(file, String.format("%s: shape %s of %s needs %d data bytes but %d %s",
                    where, Arrays.toString(shape), type == DataType.FLOAT ? "float32" : "float64", count * itemSize, available,
                    available < count * itemSize ? "are present (truncated)" : "are present (trailing bytes)"));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) available).slice().order(order);
        long[] cShape = fortran ? reversed(shape) : shape;
        INDArray arr;
        if (type == DataType.FLOAT) {
            float[] v = new float[(int) count];
            data.asFloatBuffer().get(v);
            arr = shape.length == 0 ? Nd4j.scalar(v[0]) : count == 0 ? Nd4j.create(DataType.FLOAT, cShape) : Nd4j.create(v, cShape, 'c');
        } else {
            double[] v = new double[(int) count];
            data.asDoubleBuffer().get(v);
            arr = shape.length == 0 ? Nd4j.scalar(v[0]) : count == 0 ? Nd4j.create(DataType.DOUBLE, cShape) : Nd4j.create(v, cShape, 'c');
        }
        if (fortran && shape.length > 1) {
            int[] perm = new int[shape.length];
            for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
            arr = arr.permute(perm).dup('c');
        }
        return arr;
    }

    private static long[] reversed(long[] shape) {
        long[] r = new long[shape.length];
        for (int i = 0; i < shape.length; i++) r[i] = shape[shape.length - 1 - i];
        return r;
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code arrays} as an uncompressed {@code .npz} (like {@code np.savez}), atomically. */
    public static void write(Path file, Map<String, ? extends INDArray> arrays) throws IOException {
        write(file, arrays, false);
    }

    /**
     * Writes {@code arrays} as an {@code .npz}, deflated if {@code compress} (like
     * {@code np.savez_compressed}), atomically. Keys must be non-empty; arrays must be float32 or
     * float64 (any ordering or view: they are written in C order).
     */
    public static void write(Path file, Map<String, ? extends INDArray> arrays, boolean compress) throws IOException {
        if (arrays == null) throw new IllegalArgumentException("arrays must not be null");
        for (Map.Entry<String, ? extends INDArray> e : arrays.entrySet()) {
            checkWritable(e.getKey(), e.getValue());
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(java.util.zip.Deflater.DEFAULT_COMPRESSION);
            for (Map.Entry<String, ? extends INDArray> e : arrays.entrySet()) {
                byte[] npy = toNpy(e.getValue());
                String name = e.getKey() + ".npy";
                long time = 315532800000L; // 1980-01-01, as numpy writes: content-only archives
                ZipEntry entry;
                if (compress) {
                    entry = new ZipEntry(name);
                    entry.setMethod(ZipEntry.DEFLATED);
                    entry.setTime(time);
                } else {
                    entry = ZipEntries.stored(name, npy, time);
                }
                zip.putNextEntry(entry);
                zip.write(npy);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Writes one array as a {@code .npy} file, atomically. */
    public static void writeNpy(Path file, INDArray array) throws IOException {
        checkWritable("array", array);
        byte[] npy = toNpy(array);
        AtomicFiles.write(file, out -> out.write(npy));
    }

    private static void checkWritable(String key, INDArray array) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("an .npz key must be a non-empty string");
        if (array == null) throw new IllegalArgumentException("array '" + key + "' is null");
        DataType t = array.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("array '" + key + "' has data type " + t + "; only FLOAT and DOUBLE can be written");
        }
    }

    /** The NPY (format 1.0, or 2.0 for huge headers) bytes of a float32/float64 array. */
    static byte[] toNpy(INDArray array) {
        boolean isFloat = array.dataType() == DataType.FLOAT;
        long[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + (isFloat ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int major = 1;
        int prefix = 10;
        int padded = roundUp(prefix + dict.length() + 1);
        if (padded - prefix > 0xffff) { // header length does not fit format 1.0's 16-bit field
            major = 2;
            prefix = 12;
            padded = roundUp(prefix + dict.length() + 1);
        }
        int total = prefix + dict.length() + 1;
        int headerLen = padded - prefix;
        String header = dict + " ".repeat(padded - total) + "\n";

        long count = array.length();
        int itemSize = isFloat ? 4 : 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(padded + count * itemSize)).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) buf.putShort((short) headerLen);
        else buf.putInt(headerLen);
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        if (count > 0) {
            INDArray c = array.dup('c');
            if (isFloat) buf.asFloatBuffer().put(c.data().asFloat(), 0, (int) count);
            else buf.asDoubleBuffer().put(c.data().asDouble(), 0, (int) count);
        }
        return buf.array();
    }

    private static int roundUp(int n) {
        return ((n + ALIGN - 1) / ALIGN) * ALIGN;
    }
}
