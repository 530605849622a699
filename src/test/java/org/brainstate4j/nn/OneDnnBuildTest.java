package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.brainstate4j.NativeBuilds;
import org.brainstate4j.NativeBuilds.Build;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layers on ND4J's OneDNN builds, which the main job loads (the fastest this CPU runs), whose
 * dilated convolutions fail in FLOAT and whose conv3d weight gradient can be wrong with the op's own
 * padding (see {@code graph.NativeBackend}). A JVM loads one native build, and this suite's runs on
 * the generic one, so the golden cases run again in a child JVM per OneDNN build on the class path
 * (the onednn profile) that this CPU runs: {@code -onednn} and {@code -onednn-avx2} on any AVX2 CPU,
 * {@code -onednn-avx512} too on an AVX-512 one.
 */
public class OneDnnBuildTest {
    /** The OneDNN builds on the class path that run on this CPU; at least one on any x86-64 CPU. */
    public static Stream<Build> oneDnnBuilds() {
        List<Build> builds = NativeBuilds.available().stream().filter(Build::oneDnn).toList();
        assertTrue(!builds.isEmpty(), "no OneDNN build on the class path (is the onednn profile active?)");
        return builds.stream();
    }

    @ParameterizedTest(name = "{0} build")
    @MethodSource("oneDnnBuilds")
    void goldenCasesWithDilationMatchOnTheOneDnnBuild(Build build) throws IOException, InterruptedException {
        ChildRun run = onBuild(build, OneDnnParityMain.class, "-Xmx1g", 10);
        assertEquals(0, run.exitValue(), "parity on the OneDNN build failed:\n" + run.output());
        String output = run.output();
        assertTrue(output.contains("with kernel dilation) on the OneDNN build"), output);
        assertTrue(output.contains("onednn_conv3d cases: 16"), "the conv3d cases of issue 7 did not all run:\n" + output);
        assertTrue(output.contains("groupnorm_precision cases: 41"), "the GroupNorm precision cases did not all run:\n" + output);
    }

    /** What a child JVM printed (stdout and stderr) and its exit status. */
    public record ChildRun(int exitValue, String output) {}

    /** Runs {@code main} in a child JVM on the given ND4J build, with this class path. */
    public static ChildRun onBuild(Build build, Class<?> main, String heap, long minutes) throws IOException, InterruptedException {
        Path log = Files.createTempFile("onednn-child", ".log");
        try {
            Process child = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    heap, "-D" + NativeBuilds.PROPERTY + "=" + build.extension(),
                    "-cp", System.getProperty("java.class.path"), main.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(child.waitFor(minutes, TimeUnit.MINUTES), "child JVM did not finish in " + minutes + " minutes");
            return new ChildRun(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
