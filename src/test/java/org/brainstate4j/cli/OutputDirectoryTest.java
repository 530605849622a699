package org.brainstate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --models-dir} and {@code --out} naming a regular file are refused, before any data is read, with a message that says so. */
class OutputDirectoryTest {
    @Test
    void aRegularFileAsModelsDirIsRefusedClearly(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("models.txt"), "not a directory", StandardCharsets.UTF_8);
        MainTest.Run r = MainTest.run("train", "--models-dir", file.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("the models directory (--models-dir " + file + ") is a file, not a directory"), r.err());
        assertEquals("not a directory", Files.readString(file));
        assertTrue(!Files.exists(dir.resolve("out")), "nothing written");

        MainTest.Run below = MainTest.run("train", "--models-dir", file.resolve("sub").toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, below.status());
        assertTrue(below.err().contains("cannot be created: " + file + " is a file, not a directory"), below.err());

        MainTest.Run out = MainTest.run("train", "--out", file.toString(), "--models-dir", dir.resolve("m").toString());
        assertEquals(2, out.status());
        assertTrue(out.err().contains("the output directory (--out " + file + ") is a file"), out.err());
    }
}
