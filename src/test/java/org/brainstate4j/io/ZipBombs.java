package org.brainstate4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hostile ZIP archives made on the fly (nothing of the kind is committed): raw deflate streams that
 * expand to gigabytes of zeros from a few megabytes, and a hand-written archive whose entry headers
 * may declare any sizes.
 */
final class ZipBombs {
    private ZipBombs() {}

    private static final int CHUNK = 1 << 20;

    /**
     * A raw deflate stream of {@code megabytes} MiB of zeros. Once the window holds only zeros, a
     * flushed 1 MiB chunk of zeros compresses to the same bytes every time, so the stream is the
     * first chunk's bytes, the steady chunk's bytes repeated, and a final empty block.
     */
    static byte[] deflatedZeros(int megabytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[CHUNK];
        byte[] first = compress(deflater, zeros);
        byte[] steady = compress(deflater, zeros);
        byte[] again = compress(deflater, zeros);
        if (!Arrays.equals(steady, again)) throw new IllegalStateException("deflate output of zeros is not periodic");
        deflater.finish();
        ByteArrayOutputStream end = new ByteArrayOutputStream();
        byte[] buffer = new byte[64];
        while (!deflater.finished()) end.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + steady.length * megabytes + 64);
        out.writeBytes(first);
        for (int i = 1; i < megabytes; i++) out.writeBytes(steady);
        out.writeBytes(end.toByteArray());
        return out.toByteArray();
    }

    private static byte[] compress(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        return out.toByteArray();
    }

    /** One entry as its headers describe it; {@code data} is written as is (raw deflate for method 8). */
    record Entry(String name, int method, byte[] data, long declaredSize, long crc) {
        static Entry stored(String name, byte[] data) {
            CRC32 crc = new CRC32();
            crc.update(data);
            return new Entry(name, 0, data, data.length, crc.getValue());
        }
    }

    /** A ZIP archive of {@code entries} whose archive comment is {@code comment} (sizes must fit 32 bits). */
    static byte[] archive(List<Entry> entries, String comment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> central = new ArrayList<>();
        for (Entry e : entries) {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int offset = out.size();
            ByteBuffer local = le(30 + name.length);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) e.method())
                    .putShort((short) 0).putShort((short) 0x21) // 1980-01-01
                    .putInt((int) e.crc()).putInt(e.data().length).putInt((int) e.declaredSize())
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.writeBytes(e.data());
            ByteBuffer c = le(46 + name.length);
            c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) e.method())
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc()).putInt(e.data().length)
                    .putInt((int) e.declaredSize()).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset).put(name);
            central.add(c.array());
        }
        int centralStart = out.size();
        central.forEach(out::writeBytes);
        byte[] commentBytes = comment.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer eocd = le(22 + commentBytes.length);
        eocd.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(out.size() - centralStart).putInt(centralStart)
                .putShort((short) commentBytes.length).put(commentBytes);
        out.writeBytes(eocd.array());
        return out.toByteArray();
    }

    /** {@link #archive} with a brainstate4j trailer whose checksum is right: only the entries are hostile. */
    static byte[] sealedModelArchive(List<Entry> entries) {
        byte[] unsealed = archive(entries, ModelFileFormat.TRAILER_PREFIX + "0".repeat(ModelFileFormat.DIGEST_HEX));
        String digest = ModelFileFormat.sha256Hex(unsealed, 0, unsealed.length - ModelFileFormat.DIGEST_HEX);
        byte[] digits = digest.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, unsealed, unsealed.length - digits.length, digits.length);
        return unsealed;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
