package org.brainstate4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDX reader on the shipped Fashion-MNIST files and on malformed files written to a temporary
 * directory: every defect is an InvalidDataFileException naming the file and the problem.
 */
class IdxReaderTest {
    private static final Path DIR = FashionMnist.DEFAULT_DIR;

    @TempDir
    Path tmp;

    // ---- the shipped files -------------------------------------------------------------------

    @Test
    void shippedTrainingFilesParse() throws IOException {
        IdxFile images = IdxReader.readImages(DIR.resolve("train-images-idx3-ubyte.gz"));
        assertEquals(IdxFile.UNSIGNED_BYTE, images.type());
        assertArrayEquals(new int[] {60_000, 28, 28}, images.dims());
        assertEquals(60_000 * 784, images.data().length);
        IdxFile labels = IdxReader.readLabels(DIR.resolve("train-labels-idx1-ubyte.gz"), 10);
        assertArrayEquals(new int[] {60_000}, labels.dims());
        assertArrayEquals(histogram(6_000), histogram(labels));
        IdxReader.checkSameCount(images, labels);
    }

    @Test
    void shippedTestFilesParse() throws IOException {
        IdxFile images = IdxReader.readImages(DIR.resolve("t10k-images-idx3-ubyte.gz"));
        assertArrayEquals(new int[] {10_000, 28, 28}, images.dims());
        IdxFile labels = IdxReader.readLabels(DIR.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        assertArrayEquals(new int[] {10_000}, labels.dims());
        assertArrayEquals(histogram(1_000), histogram(labels));
        // Not all black: Fashion-MNIST's mean pixel is about 0.29.
        long sum = 0;
        for (byte b : images.data()) sum += b & 0xFF;
        double mean = sum / 255.0 / images.data().length;
        assertTrue(mean > 0.25 && mean < 0.33, "mean pixel " + mean);
    }

    @Test
    void rawAndGzippedReadTheSame() throws IOException {
        byte[] body = idx(0x08, new int[] {3, 4, 5}, ramp(60));
        Path raw = write("raw-idx3-ubyte", body);
        Path gz = write("gz-idx3-ubyte.gz", gzip(body));
        Path gzNoSuffix = write("gz-without-suffix", gzip(body));
        IdxFile a = IdxReader.read(raw);
        assertArrayEquals(new int[] {3, 4, 5}, a.dims());
        assertArrayEquals(ramp(60), a.data());
        assertArrayEquals(a.data(), IdxReader.read(gz).data());
        assertArrayEquals(a.data(), IdxReader.read(gzNoSuffix).data());
    }

    // ---- malformed files ---------------------------------------------------------------------

    @Test
    void truncatedRawFilesAreRefusedWithTheirLength() throws IOException {
        byte[] good = idx(0x08, new int[] {5, 28, 28}, ramp(5 * 784)); // 16 + 3920 bytes
        assertInvalid(write("empty-idx3-ubyte", new byte[0]), "the file is empty");
        assertInvalid(write("cut2-idx3-ubyte", Arrays.copyOf(good, 2)), "ends after 2 bytes, inside the 4-byte magic number");
        assertInvalid(write("cut9-idx3-ubyte", Arrays.copyOf(good, 9)),
                "declares 3 dimensions (a 16-byte header) but the file ends after 9 bytes");
        assertInvalid(write("cut16-idx3-ubyte", Arrays.copyOf(good, 16)),
                "declares 5 items of 28x28 (3920 data bytes after the 16-byte header, 3936 bytes in all) but the file ends after 16 bytes");
        assertInvalid(write("cut3000-idx3-ubyte", Arrays.copyOf(good, 3000)), "but the file ends after 3000 bytes");
        assertInvalid(write("cut3935-idx3-ubyte", Arrays.copyOf(good, 3935)), "but the file ends after 3935 bytes");
    }

    @Test
    void truncatedGzipFilesAreRefused() throws IOException {
        byte[] good = idx(0x08, new int[] {5, 28, 28}, ramp(5 * 784));
        byte[] gz = gzip(good);
        // A complete gzip stream whose content is cut short.
        assertInvalid(write("short-content.gz", gzip(Arrays.copyOf(good, 1000))),
                "declares 5 items of 28x28", "but the decompressed data ends after 1000 bytes");
        // The gzip file itself cut: in the header, in the deflate data, in the trailer.
        assertInvalid(write("gzcut5.gz", Arrays.copyOf(gz, 5)), "gzip header is truncated or corrupt");
        assertInvalid(write("gzcut-half.gz", Arrays.copyOf(gz, gz.length / 2)), "gzip data is truncated or corrupt");
        assertInvalid(write("gzcut-trailer.gz", Arrays.copyOf(gz, gz.length - 3)), "gzip data is truncated or corrupt");
        // Corrupt deflate data (CRC or stream error).
        byte[] flipped = gz.clone();
        flipped[gz.length - 8] ^= 0x55; // inside the CRC-32
        assertInvalid(write("badcrc.gz", flipped), "gzip data is truncated or corrupt");
    }

    @Test
    void badMagicIsRefused() throws IOException {
        byte[] body = idx(0x08, new int[] {2, 2, 2}, ramp(8));
        body[0] = 0x01;
        assertInvalid(write("flipped-magic-idx3-ubyte", body), "bad magic number 0x01000803");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
        assertInvalid(write("picture.png", png), "bad magic number 0x89504E47");
    }

    @Test
    void wrongTypeByteIsRefused() throws IOException {
        assertInvalid(write("floats-idx3", idx(0x0D, new int[] {1, 2, 2}, new byte[16])),
                "unsupported element type 0x0D (32-bit float)");
        assertInvalid(write("unknown-type-idx1", idx(0x07, new int[] {4}, new byte[4])), "unknown element type 0x07");
        assertInvalid(write("signed-labels-idx1", idx(0x09, new int[] {4}, new byte[4])), "element type 0x09 (signed byte)",
                "a label file holds unsigned bytes", () -> IdxReader.readLabels(tmp.resolve("signed-labels-idx1"), 10));
        assertInvalid(write("zero-dims", idx(0x08, new int[0], new byte[0])), "declares 0 dimensions");
    }

    @Test
    void trailingGarbageIsRefused() throws IOException {
        byte[] good = idx(0x08, new int[] {4}, new byte[] {1, 2, 3, 4});
        byte[] longer = Arrays.copyOf(good, good.length + 7);
        assertInvalid(write("trailing-idx1-ubyte", longer), "7 bytes of trailing data after the 12 bytes its header declares (4 items)");
        assertInvalid(write("trailing-idx1-ubyte.gz", gzip(longer)), "the decompressed data has 7 bytes of trailing data");
    }

    @Test
    void hugeDeclaredSizeIsRefusedWithoutAllocating() throws IOException {
        assertInvalid(write("huge-idx3", idx(0x08, new int[] {100_000, 1_000, 1_000}, new byte[10])), "more than", "elements");
        assertInvalid(write("negative-idx1", idx(0x08, new int[] {-1}, new byte[10])), "dimension 0 is 4294967295");
        // Within Java's limits but far more than the gzip stream holds.
        assertInvalid(write("big-claim.gz", gzip(idx(0x08, new int[] {1_000_000_000}, new byte[100]))),
                "declares 1000000000 items", "but the decompressed data ends after 108 bytes");
    }

    @Test
    void labelOutOfRangeIsRefused() throws IOException {
        Path labels = write("eleven-labels-idx1-ubyte", idx(0x08, new int[] {6}, new byte[] {0, 9, 3, 4, 11, 2}));
        assertInvalid(labels, "label 11 at item 4 is outside 0..9", () -> IdxReader.readLabels(labels, 10));
    }

    @Test
    void wrongKindOfFileIsRefused() throws IOException {
        Path labels = write("labels-idx1-ubyte", idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        assertInvalid(labels, "expected an image file with 3 dimensions", "is this a label file?", () -> IdxReader.readImages(labels));
        Path images = write("images-idx3-ubyte", idx(0x08, new int[] {1, 2, 2}, new byte[4]));
        assertInvalid(images, "expected a label file with 1 dimension", "is this an image file?", () -> IdxReader.readLabels(images, 10));
    }

    @Test
    void imagesAndLabelsCountMismatchIsRefused() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("mismatch"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(0x08, new int[] {5, 28, 28}, ramp(5 * 784))));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {4}, new byte[] {0, 1, 2, 3}));
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        assertInvalid(labels, "holds 4 labels but the images file", "train-images-idx3-ubyte.gz holds 5 images",
                () -> FashionMnist.train(dir));
    }

    @Test
    void wrongImageSizeForFashionMnistIsRefused() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("small"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(0x08, new int[] {2, 4, 4}, new byte[32]));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(0x08, new int[] {2}, new byte[] {0, 1}));
        assertInvalid(dir.resolve("t10k-images-idx3-ubyte"), "holds 4x4 images; Fashion-MNIST images are 28x28",
                () -> FashionMnist.test(dir));
        // A well-formed small set loads, raw files accepted.
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(0x08, new int[] {2, 28, 28}, ramp(2 * 784)));
        LabelledImages small = FashionMnist.test(dir);
        assertEquals(2, small.size());
        assertEquals(1, small.label(1));
        assertEquals((784 + 28 + 2) % 256, small.rawPixel(1, 1, 2));
    }

    @Test
    void missingDirectorySaysWhereItLookedAndWhatToDo() {
        Path nowhere = tmp.resolve("no-such-dir");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FashionMnist.train(nowhere));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("data/fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("/usr/share/datasets/fashion-mnist"), e.getMessage());
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void assertInvalid(Path file, String... fragments) {
        assertInvalidVia(file, () -> IdxReader.read(file), fragments);
    }

    private void assertInvalid(Path file, String fragment, Executable action) {
        assertInvalidVia(file, action, fragment);
    }

    private void assertInvalid(Path file, String fragment1, String fragment2, Executable action) {
        assertInvalidVia(file, action, fragment1, fragment2);
    }

    private static void assertInvalidVia(Path file, Executable action, String... fragments) {
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, action, "for " + file.getFileName());
        assertEquals(file, e.getFile());
        assertTrue(e.getMessage().startsWith("Invalid IDX file " + file + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) i;
        return b;
    }

    private static int[] histogram(int each) {
        int[] h = new int[10];
        Arrays.fill(h, each);
        return h;
    }

    private static int[] histogram(IdxFile labels) {
        int[] h = new int[10];
        for (int i = 0; i < labels.count(); i++) h[labels.get(i)]++;
        return h;
    }
}
