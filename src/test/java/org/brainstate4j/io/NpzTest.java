package org.brainstate4j.io;

import static org.brainstate4j.io.TestModels.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Npz}: Java round trips, numpy-written fixtures (tools/make_npz_fixtures.py), malformed files. */
class NpzTest {
    @TempDir
    Path dir;

    /** The arrays of the numpy fixture, recomputed in Java (see tools/make_npz_fixtures.py). */
    static Map<String, INDArray> fixtureValues() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        float[] w = new float[24];
        for (int i = 0; i < 24; i++) w[i] = (float) i / 7f;
        m.put("enc1/weight", Nd4j.create(w, new long[] {2, 3, 4}, 'c'));
        double[] b = new double[4];
        for (int i = 0; i < 4; i++) b[i] = i / 3.0 - 0.5;
        m.put("enc1/bias", Nd4j.create(b, new long[] {4}, 'c'));
        m.put("enc2/gain", Nd4j.create(new float[] {1, 2, 3}, new long[] {1, 1, 1, 3}, 'c'));
        m.put("fortran", Nd4j.create(new double[] {0, 0.25, 0.5, 0.75, 1.0, 1.25}, new long[] {2, 3}, 'c'));
        m.put("bigendian", Nd4j.create(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f}, new long[] {5}, 'c'));
        m.put("scalar", Nd4j.scalar(2.5f));
        m.put("empty", Nd4j.create(DataType.FLOAT, 0, 3));
        m.put("special", Nd4j.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE}, new long[] {4}, 'c'));
        return m;
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = NpzTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static void assertSameArrays(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((k, v) -> {
            if (v.length() == 0) {
                assertArrayEquals(v.shape(), actual.get(k).shape(), k);
                assertEquals(v.dataType(), actual.get(k).dataType(), k);
            } else {
                assertBitIdentical(v, actual.get(k), k);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"numpy_params.npz", "numpy_params_compressed.npz"})
    void readsWhatNumpyWrites(String name) throws Exception {
        assertSameArrays(fixtureValues(), Npz.read(resource(name)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void javaRoundTripIsBitIdentical(boolean compress) throws Exception {
        Map<String, INDArray> arrays = new LinkedHashMap<>(fixtureValues());
        Nd4j.getRandom().setSeed(3);
        arrays.put("net/enc1/weight", Nd4j.randn(DataType.FLOAT, 3, 3, 3, 16));
        arrays.put("double/rank5", Nd4j.randn(DataType.DOUBLE, 2, 1, 3, 2, 2));
        arrays.put("view/transposed", Nd4j.randn(DataType.FLOAT, 4, 5).transpose()); // not C-contiguous
        arrays.put("view/column", Nd4j.randn(DataType.DOUBLE, 4, 5).getColumn(2));
        Path file = dir.resolve("params.npz");
        Npz.write(file, arrays, compress);
        Map<String, INDArray> back = Npz.read(file);
        assertSameArrays(arrays, back);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(compress ? ZipEntry.DEFLATED : ZipEntry.STORED, zip.getEntry("enc1/weight.npy").getMethod());
        }
        ModelFileTest.assertNoTempFiles(dir);
    }

    /** What Java writes is what numpy writes: same header text, same data bytes (byte-compared to the fixture). */
    @Test
    void npyEntriesMatchNumpysBytes() throws Exception {
        Path file = dir.resolve("java.npz");
        Map<String, INDArray> values = fixtureValues();
        Npz.write(file, Map.of("enc1/weight", values.get("enc1/weight"), "enc1/bias", values.get("enc1/bias"),
                "scalar", values.get("scalar"), "empty", values.get("empty")));
        try (ZipFile ours = new ZipFile(file.toFile()); ZipFile numpys = new ZipFile(resource("numpy_params.npz").toFile())) {
            for (String entry : List.of("enc1/weight.npy", "enc1/bias.npy", "scalar.npy", "empty.npy")) {
                byte[] a = ours.getInputStream(ours.getEntry(entry)).readAllBytes();
                byte[] b = numpys.getInputStream(numpys.getEntry(entry)).readAllBytes();
                assertEquals(new String(b, StandardCharsets.ISO_8859_1), new String(a, StandardCharsets.ISO_8859_1), entry);
            }
        }
    }

    @Test
    void singleNpyRoundTrip() throws Exception {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 4);
        Path file = dir.resolve("x.npy");
        Npz.writeNpy(file, x);
        assertBitIdentical(x, Npz.readNpy(file), "npy");
    }

    @Test
    void unsupportedContentIsRefusedNamingFileAndEntry() throws Exception {
        Path ints = resource("numpy_int64.npz");
        InvalidArrayFileException e = assertThrows(InvalidArrayFileException.class, () -> Npz.read(ints));
        assertEquals(ints + ": entry 'counts.npy' has dtype '<i8'; only float32 ('<f4') and float64 ('<f8') arrays are supported",
                e.getMessage());

        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> Npz.write(dir.resolve("i.npz"), Map.of("counts", Nd4j.create(DataType.INT, 3))));
        assertEquals("array 'counts' has data type INT; only FLOAT and DOUBLE can be written", w.getMessage());
    }

    @Test
    void malformedFilesAreRefusedNamingTheFile() throws Exception {
        Path good = dir.resolve("good.npz");
        Npz.write(good, Map.of("enc1/weight", Nd4j.ones(DataType.FLOAT, 4, 4)));
        byte[] bytes = Files.readAllBytes(good);

        String m = refused("empty.npz", new byte[0]);
        assertTrue(m.endsWith("empty.npz: the file is empty (0 bytes), not an .npz archive"), m);

        m = refused("truncated.npz", java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(m.contains("truncated.npz: not a readable .npz (ZIP) archive; it may be truncated"), m);

        byte[] flipped = bytes.clone();
        flipped[150] ^= 0x10; // inside the only entry (its NPY header padding)
        m = refused("flipped.npz", flipped);
        assertTrue(m.contains("flipped.npz: entry 'enc1/weight.npy' is damaged: CRC-32"), m);

        m = refused("text.npz", "not a zip".getBytes(StandardCharsets.UTF_8));
        assertTrue(m.contains("text.npz: not a readable .npz (ZIP) archive"), m);

        m = refusedZip("not-npy.npz", "weights.npy", "hello".getBytes(StandardCharsets.UTF_8));
        assertTrue(m.endsWith("not-npy.npz: entry 'weights.npy' is not an NPY array (it does not start with \\x93NUMPY)"), m);

        byte[] npy = Npz.toNpy(Nd4j.ones(DataType.FLOAT, 2, 3));
        m = refusedZip("short.npz", "w.npy", java.util.Arrays.copyOf(npy, npy.length - 4));
        assertTrue(m.endsWith("short.npz: entry 'w.npy': shape [2, 3] of float32 needs 24 data bytes but 20 are present (truncated)"), m);
        System.out.println(m);
    }

    private String refused(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        InvalidArrayFileException e = assertThrows(InvalidArrayFileException.class, () -> Npz.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage();
    }

    private String refusedZip(String name, String entry, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
        InvalidArrayFileException e = assertThrows(InvalidArrayFileException.class, () -> Npz.read(file));
        return e.getMessage();
    }
}
