package org.brainstate4j.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The content of one IDX file whose elements are single bytes (type {@code 0x08} unsigned byte or
 * {@code 0x09} signed byte): its dimensions and its body, in the file's (row-major) order.
 * The body array is shared, not copied: treat it as read-only.
 */
final class IdxFile {
    /** IDX element type: unsigned byte. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** IDX element type: signed byte. */
    public static final int SIGNED_BYTE = 0x09;

    private final Path file;
    private final int type;
    private final int[] dims;
    private final byte[] data;

    IdxFile(Path file, int type, int[] dims, byte[] data) {
        this.file = file;
        this.type = type;
        this.dims = dims;
        this.data = data;
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** The IDX element type byte ({@link #UNSIGNED_BYTE} or {@link #SIGNED_BYTE}). */
    public int type() {
        return type;
    }

    /** A copy of the dimensions, outermost first; {@code dims()[0]} is the item count. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The first dimension: how many items (images, labels) the file holds. */
    public int count() {
        return dims[0];
    }

    /** Elements per item: the product of all dimensions but the first. */
    public int itemSize() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) n *= dims[i];
        return n;
    }

    /** The body, {@code count() * itemSize()} bytes, shared (not copied). */
    public byte[] data() {
        return data;
    }

    /** Element {@code i} of the body as an int: 0..255 for unsigned bytes, -128..127 for signed. */
    public int get(int i) {
        return type == UNSIGNED_BYTE ? data[i] & 0xFF : data[i];
    }

    @Override
    public String toString() {
        return "IdxFile[" + file + ", type 0x" + String.format("%02X", type) + ", dims " + Arrays.toString(dims) + "]";
    }
}
