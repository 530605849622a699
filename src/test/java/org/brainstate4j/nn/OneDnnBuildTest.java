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
public class OneDnnBuildTest {
    @Test
    void goldenCasesWithDilationMatchOnTheOneDnnBuild() throws IOException, InterruptedException {
        assumeTrue(NativeBackend.oneDnnAvx512Available(),
                "the OneDNN-AVX512 build cannot run here (no AVX-512 CPU, or onednn profile inactive)");
        ChildRun run = onOneDnnBuild(OneDnnParityMain.class, "-Xmx1g", 10);
        assertEquals(0, run.exitValue(), "parity on the OneDNN build failed:\n" + run.output());
        String output = run.output();
        assertTrue(output.contains("with kernel dilation) on the OneDNN build"), output);
        assertTrue(output.contains("onednn_conv3d cases: 16"), "the conv3d cases of issue 7 did not all run:\n" + output);
    }

    /** What a child JVM printed (stdout and stderr) and its exit status. */
    public record ChildRun(int exitValue, String output) {}

    /** Runs {@code main} in a child JVM on ND4J's OneDNN-AVX512 build, with this class path. */
    public static ChildRun onOneDnnBuild(Class<?> main, String heap, long minutes) throws IOException, InterruptedException {
        Path log = Files.createTempFile("onednn-child", ".log");
        try {
            Process child = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    heap, "-Dorg.bytedeco.javacpp.platform.extension=" + NativeBackend.ONEDNN_AVX512,
                    "-cp", System.getProperty("java.class.path"), main.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(child.waitFor(minutes, TimeUnit.MINUTES), "child JVM did not finish in " + minutes + " minutes");
            return new ChildRun(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
