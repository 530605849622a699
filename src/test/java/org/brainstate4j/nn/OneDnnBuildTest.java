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
import org.junit.jupiter.api.Test;

/**
 * The layers on ND4J's OneDNN build, which the main job loads on AVX-512 CPUs and whose dilated
 * convolutions fail in FLOAT (see {@code graph.NativeBackend}). A JVM loads one native build, and
 * this suite's runs on the generic one, so the golden cases run again in a child JVM.
 * Needs an AVX-512 CPU and the onednn profile's jar (both on linux-x86_64 CI machines of this kind).
 */
class OneDnnBuildTest {
    private static final String ONEDNN_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx512/libjnind4jcpu.so";

    @Test
    void goldenCasesWithDilationMatchOnTheOneDnnBuild() throws IOException, InterruptedException {
        assumeTrue(cpuHasAvx512(), "this CPU has no AVX-512, so the OneDNN-AVX512 build cannot run here");
        assumeTrue(getClass().getClassLoader().getResource(ONEDNN_LIBRARY) != null,
                "the OneDNN build is not on the class path (onednn profile inactive)");
        Path log = Files.createTempFile("onednn-parity", ".log");
        try {
            Process child = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx512",
                    "-cp", System.getProperty("java.class.path"), OneDnnParityMain.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(child.waitFor(10, TimeUnit.MINUTES), "child JVM did not finish in 10 minutes");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), "parity on the OneDNN build failed:\n" + output);
            assertTrue(output.contains("with kernel dilation) on the OneDNN build"), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean cpuHasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        } catch (IOException e) {
            return false;
        }
    }
}
