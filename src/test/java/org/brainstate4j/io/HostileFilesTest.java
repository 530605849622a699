package org.brainstate4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.InflaterInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Files made to hurt the reader: zip bombs (made here, on the fly), entries that lie about their
 * size, a graph.fb with single bytes changed and resealed with valid checksums, and .npy headers
 * whose shapes overflow. Each is refused quickly with the project's invalid-file exception naming
 * the file; nothing is allocated by the declared sizes.
 */
class HostileFilesTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static byte[] good;
    static byte[] manifest;
    static byte[] graph;

    @BeforeAll
    static void saveOnce() throws Exception {
        TestModels.Model model = TestModels.build(DataType.FLOAT, 61);
        Path file = shared.resolve("good.bs4j");
        ModelFile.save(model.sd(), file, false, Map.of());
        good = Files.readAllBytes(file);
        Map<String, byte[]> entries = ModelFileFaultTest.entries(good);
        manifest = entries.get("manifest.json");
        graph = entries.get("graph.fb");
    }

    private static <T extends IOException> String refused(Class<T> type, Path file, Executable read) {
        long start = System.nanoTime();
        T e = assertThrows(type, read);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().startsWith(file + ": "), "names the file: " + e.getMessage());
        assertTrue(millis < 5_000, "refused in " + millis + " ms");
        System.out.println("refused in " + millis + " ms: " + e.getMessage());
        return e.getMessage();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void theBombGeneratorMakesWhatItSays() throws IOException {
        byte[] bomb = ZipBombs.deflatedZeros(16);
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(bomb), new Inflater(true))) {
            byte[] all = in.readAllBytes();
            assertEquals(16 << 20, all.length);
            for (byte b : all) if (b != 0) fail("not all zeros");
        }
        System.out.printf("16 MiB of zeros deflate to %d bytes; 3 GiB to about %d kB%n", bomb.length, bomb.length * 192 / 1000);
    }

    @Test
    void aModelFileWhoseGraphEntryIsAZipBombIsRefusedWithoutInflatingIt() throws IOException {
        byte[] bomb = ZipBombs.deflatedZeros(3 << 10); // 3 GiB of zeros
        byte[] sealed = ZipBombs.sealedModelArchive(List.of(ZipBombs.Entry.stored("manifest.json", manifest),
                new ZipBombs.Entry("graph.fb", 8, bomb, 3L << 30, 0)));
        Path file = write("bomb.bs4j", sealed);
        String m = refused(InvalidModelFileException.class, file, () -> ModelFile.load(file, false));
        assertTrue(m.contains("entry 'graph.fb' is compressed (ZIP method 8)"), m);

        // The same with the entry declared as stored, sizes claiming 3 GiB: more than the whole file.
        byte[] lying = ZipBombs.sealedModelArchive(List.of(ZipBombs.Entry.stored("manifest.json", manifest),
                new ZipBombs.Entry("graph.fb", 0, graph, 3L << 30, 0)));
        Path liar = write("liar.bs4j", lying);
        m = refused(InvalidModelFileException.class, liar, () -> ModelFile.load(liar, false));
        assertTrue(m.contains("damaged") || m.contains("declares"), m);
    }

    @Test
    void anNpzWithAZipBombEntryIsRefusedBeforeItIsInflated() throws IOException {
        byte[] bomb = ZipBombs.deflatedZeros(3 << 10);
        Path honest = write("bomb.npz", ZipBombs.archive(List.of(new ZipBombs.Entry("w.npy", 8, bomb, 3L << 30, 0)), ""));
        String m = refused(InvalidArrayFileException.class, honest, () -> Npz.read(honest));
        assertTrue(m.contains("entry 'w.npy' declares 3221225472 bytes, over the limit of 1073741824 bytes per array"), m);

        // Declares 1 KiB, inflates to 3 GiB: reading stops one byte past what it declared.
        Path lying = write("lying.npz", ZipBombs.archive(List.of(new ZipBombs.Entry("w.npy", 8, bomb, 1024, 0)), ""));
        m = refused(InvalidArrayFileException.class, lying, () -> Npz.read(lying));
        assertTrue(m.contains("entry 'w.npy' inflates to more than the 1024 bytes it declares"), m);

        // Given where a model file is expected, it is diagnosed without being inflated either.
        m = refused(InvalidModelFileException.class, honest, () -> ModelFile.load(honest, false));
        assertTrue(m.contains("not a brainstate4j model file: it has no manifest.json (entries: [w.npy])"), m);
    }

    @Test
    void npyHeadersWithHugeShapesAreRefused() throws IOException {
        for (String shape : new String[] {"(4294967296, 4294967296)", "(9223372036854775807, 2)", "(1000000000,)"}) {
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
            String header = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
            ByteArrayOutputStream npy = new ByteArrayOutputStream();
            npy.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
            npy.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
            npy.writeBytes(new byte[16]);
            Path file = write("huge.npz", ZipBombs.archive(List.of(ZipBombs.Entry.stored("w.npy", npy.toByteArray())), ""));
            String m = refused(InvalidArrayFileException.class, file, () -> Npz.read(file));
            assertTrue(m.contains("shape ") && m.contains("data bytes but 16 are present (truncated)"), m);
        }
    }

    @Test
    void anNpyFileOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path file = dir.resolve("sparse.npy");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(Npz.MAX_ENTRY_BYTES + 1); // sparse: no disk space used
        }
        String m = refused(InvalidArrayFileException.class, file, () -> Npz.readNpy(file));
        assertTrue(m.contains("over the limit of 1073741824 bytes per array"), m);
    }

    /**
     * Single bytes of graph.fb changed, the file resealed (graph checksum in the manifest and the
     * trailer recomputed, so only SameDiff's reader stands between the bytes and the graph): every
     * load either succeeds or is refused with {@link InvalidModelFileException}, never anything else.
     */
    @Test
    void mutatedGraphsAreLoadedOrRefusedNeverThrowAnythingElse() throws IOException {
        Random random = new Random(8);
        String json = new String(manifest, StandardCharsets.UTF_8);
        String sha = ModelFileFormat.sha256Hex(graph, 0, graph.length);
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < 64; i++) offsets.add(i); // the FlatBuffers root table and vtable
        for (int i = 0; i < 136; i++) offsets.add(random.nextInt(graph.length));
        int loaded = 0;
        int refusedCount = 0;
        Map<String, Integer> causes = new java.util.TreeMap<>();
        Path file = dir.resolve("mutated.bs4j");
        for (int offset : offsets) {
            byte[] mutated = graph.clone();
            mutated[offset] = (byte) (random.nextBoolean() ? mutated[offset] ^ (1 << random.nextInt(8)) : random.nextInt(256));
            String resealed = json.replace(sha, ModelFileFormat.sha256Hex(mutated, 0, mutated.length));
            Files.write(file, ModelFileFaultTest.container(resealed, mutated));
            try {
                ModelFile.load(file, false);
                loaded++;
            } catch (InvalidModelFileException e) {
                refusedCount++;
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                causes.merge(e.getCause() == null ? "brainstate4j's own checks" : e.getCause().getClass().getSimpleName(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("byte " + offset + " of graph.fb changed: escaped as " + t, t);
            }
        }
        System.out.printf("%d single-byte mutations of graph.fb (%d bytes): %d loaded, %d refused (what SameDiff threw: %s)%n",
                offsets.size(), graph.length, loaded, refusedCount, causes);
        assertTrue(refusedCount > 0);
    }
}
