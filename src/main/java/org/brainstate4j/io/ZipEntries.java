package org.brainstate4j.io;

import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/** ZIP entries as this package writes them (model files, uncompressed {@code .npz}). */
final class ZipEntries {
    private ZipEntries() {}

    /**
     * An entry that stores {@code data} uncompressed: {@link java.util.zip.ZipOutputStream} needs a STORED
     * entry's size and CRC-32 before its data, so they are computed here.
     */
    static ZipEntry stored(String name, byte[] data, long time) {
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        e.setTime(time);
        return e;
    }
}
