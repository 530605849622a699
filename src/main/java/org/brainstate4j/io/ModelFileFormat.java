package org.brainstate4j.io;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The layout details of the {@link ModelFile} container that {@link ModelFileWriter} and
 * {@link ModelFileReader} must agree on: entry names, the checksum trailer, the manifest size limit,
 * and the SHA-256 and library-version helpers both use. In one place so that the two sides cannot
 * drift apart; the format as users see it (and its public name and version) is documented on
 * {@link ModelFile}.
 */
final class ModelFileFormat {
    private ModelFileFormat() {}

    static final String MANIFEST_ENTRY = "manifest.json";
    static final String GRAPH_ENTRY = "graph.fb";
    static final String TRAILER_PREFIX = "brainstate4j-sha256:";
    static final int DIGEST_HEX = 64;
    /** The ZIP archive comment: {@link #TRAILER_PREFIX} and the hex digest. */
    static final int COMMENT_LENGTH = TRAILER_PREFIX.length() + DIGEST_HEX;
    /** The end-of-central-directory record without its comment. */
    static final int EOCD_LENGTH = 22;
    /** The longest manifest.json read (a manifest lists the graph's trainable variables: kilobytes). */
    static final int MAX_MANIFEST_BYTES = 16 << 20;

    /** This library's version from the jar manifest, {@code development} when run from classes. */
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

    /** The hex SHA-256 of {@code len} bytes from {@code off}. */
    static String sha256Hex(byte[] bytes, int off, int len) {
        MessageDigest d = sha256();
        d.update(bytes, off, len);
        return HexFormat.of().formatHex(d.digest());
    }
}
