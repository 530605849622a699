package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.brainstate4j.graph.NativeBackend;
import org.junit.jupiter.api.Test;

/**
 * The layers on ND4J's OneDNN build, which the main job loads on AVX-512 CPUs, whose dilated
 * convolutions fail in FLOAT and whose conv3d weight gradient can be wrong with the op's own
 * padding (see {@code graph.NativeBackend}). A JVM loads one native build, and
 * this suite's runs on the generic one, so the golden cases run again in a child JVM.
 * Needs an AVX-512 CPU and the onednn profile's jar (both on linux-x86_64 CI machines of this kind).
 */
class OneDnnBuildTest {
    @Test
    void goldenCasesWithDilationMatchOnTheOneDnnBuild() throws IOException, InterruptedException {
        assumeTrue(NativeBackend.oneDnnAvx512Available(),
                "the OneDNN-AVX512 build cannot run here (no AVX-512 CPU, or onednn profile inactive)");
        Path log = Files.createTempFile("onednn-parity", ".log");
        try {
            Process child = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dorg.bytedeco.javacpp.platform.extension=" + NativeBackend.ONEDNN_AVX512,
                    "-cp", System.getProperty("java.class.path"), OneDnnParityMain.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(child.waitFor(10, TimeUnit.MINUTES), "child JVM did not finish in 10 minutes");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), "parity on the OneDNN build failed:\n" + output);
            assertTrue(output.contains("with kernel dilation) on the OneDNN build"), output);
            assertTrue(output.contains("onednn_conv3d cases: 16"), "the conv3d cases of issue 7 did not all run:\n" + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
