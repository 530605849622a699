package org.brainstate4j.workarounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.brainstate4j.NativeBuilds.Build;
import org.brainstate4j.nn.OneDnnBuildTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Canaries for the DL4J / ND4J 1.0.0-M2.1 bugs that brainstate4j works around (the table is in
 * docs/workarounds.md). Each test exercises the raw DL4J behaviour,
 * without brainstate4j's code, and asserts that the bug is still there: when one fails after an
 * upgrade, its message names the workaround that can go. (The canary of the loss that {@code fit}
 * never computes is {@code train.TrainingTest.sameDiffsOwnFitReportsZeroLossOnM21}.)
 */
class Dl4jM21CanaryTest {
    private static String fixed(String bug, String workaround) {
        return "DL4J fixed " + bug + ": remove workaround " + workaround;
    }

    @Test
    void populationVarianceGradientUsesNMinusOne() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.createFromArray(1.0, 2.0, 4.0, 7.0)); // mean 3.5
        sd.variance(w, false, 0).rename("v").markAsLoss();
        INDArray g = sd.calculateGradients(Map.of(), "w").get("w");
        // d var / d w_i = 2 (w_i - mean) / N = [-1.25, -0.75, 0.25, 1.75]; M2.1 divides by N - 1 = 3
        assertArrayEquals(new double[] {-5.0 / 3, -1.0, 1.0 / 3, 7.0 / 3}, g.toDoubleVector(), 1e-6,
                fixed("sd.variance(biasCorrected=false)'s gradient",
                        "the plain-op variance in nn.WeightStandardization"));
    }

    @Test
    void matmulBackwardFailsForOneByOneProduct() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.createFromArray(new double[][] {{2.0}}));
        SDVariable w = sd.var("w", Nd4j.createFromArray(new double[][] {{3.0}}));
        x.mmul(w).sum().rename("loss").markAsLoss();
        RuntimeException e = assertThrows(RuntimeException.class, () -> sd.calculateGradients(Map.of(), "x", "w"),
                fixed("matmul_bp of a 1x1 @ 1x1 product", "the broadcast product for one input feature in nn.Linear"));
        assertTrue(String.valueOf(e.getMessage()).contains("mulRowVector"), e.getMessage());
    }

    @Test
    void sameModeShiftsTheWindowWhenTheKernelIsSmallerThanTheStride() {
        // in 7, kernel 1, stride 4: 2 outputs, total padding (2-1)*4+1-7 = -2, which TF/JAX clamp at 0
        // (outputs x[0], x[4]); libnd4j takes the low pad as -2/2 = -1 and reads x[1], x[5].
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant(Nd4j.arange(7).castTo(DataType.FLOAT).reshape(1, 1, 7, 1));
        SDVariable w = sd.constant(Nd4j.ones(DataType.FLOAT, 1, 1, 1, 1));
        SDVariable y = sd.cnn().conv2d(x, w, Conv2DConfig.builder().kH(1).kW(1).sH(1).sW(4)
                .paddingMode(PaddingMode.SAME).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build());
        assertArrayEquals(new float[] {1, 5}, y.eval().ravel().toFloatVector(),
                fixed("SAME padding with a negative total (kernel smaller than the stride)",
                        "the 'unclamped' condition on SAME mode in nn.ConvEmitter.forward"));
    }

    @Test
    void conv2dCannotTrainWithOiyxWeights() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 1, 2, 5, 5));
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 3, 2, 3, 3));
        sd.cnn().conv2d(x, w, Conv2DConfig.builder().kH(3).kW(3).dataFormat("NCHW")
                .weightsFormat(WeightsFormat.OIYX).build()).sum().rename("loss").markAsLoss();
        assertThrows(RuntimeException.class, () -> sd.calculateGradients(Map.of(), "w"),
                fixed("conv2d_bp with OIYX weights", "nothing (kernels could then be kept in other layouts; "
                        + "nn.ConvEmitter uses YXIO)"));
    }

    @Test
    void variablesAndConstantsIgnoreTheNameScope() {
        SameDiff sd = SameDiff.create();
        try (NameScope ignored = sd.withNameScope("scope")) {
            assertEquals("w", sd.var("w", Nd4j.ones(2)).name(),
                    fixed("sd.var(String, INDArray) ignoring the name scope (deeplearning4j #10038)",
                            "the scoped path built by nn.Module.bind"));
            assertEquals("c", sd.constant("c", Nd4j.ones(2)).name(),
                    fixed("sd.constant(String, INDArray) ignoring the name scope", "the scoped path built by nn.Module.bind"));
        }
    }

    @Test
    void opOutputsHaveNoStaticShape() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable v = sd.var("v", Nd4j.ones(DataType.FLOAT, 2, 3));
        assertNull(x.add(1.0).getShape(), fixed("SDVariable.getShape() of an op output", "graph.StaticShapes"));
        assertNull(v.add(1.0).getShape(), fixed("SDVariable.getShape() of an op output", "graph.StaticShapes"));
    }

    @Test
    void gradientConstructionPrintsToStandardOutput() {
        PrintStream previous = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SameDiff sd = SameDiff.create();
            SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 3));
            sd.math().square(w).sum().rename("loss").markAsLoss();
            sd.calculateGradients(Map.of(), "w");
        } finally {
            System.setOut(previous);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("Added differentiated op "),
                fixed("the 'Added differentiated op' lines on System.out", "graph.SameDiffNoise (installed by nn.Module)"));
    }

    @Test
    void createFromNpzFileFailsOnCompressedArchives(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("compressed.npz"); // written by np.savez_compressed (tools/make_npz_fixtures.py)
        try (InputStream in = Dl4jM21CanaryTest.class.getResourceAsStream("/org/brainstate4j/io/numpy_params_compressed.npz")) {
            Files.copy(in, file);
        }
        assertThrows(Exception.class, () -> Nd4j.createFromNpzFile(file.toFile()),
                fixed("Nd4j.createFromNpzFile on np.savez_compressed archives", "io.Npz's own reader (keep it "
                        + "only for its size limits and messages)"));
    }

    @ParameterizedTest(name = "{0} build")
    @MethodSource("org.brainstate4j.nn.OneDnnBuildTest#oneDnnBuilds")
    void oneDnnBuildCannotRunDilatedFloatConvolutions(Build build) throws IOException, InterruptedException {
        OneDnnBuildTest.ChildRun run = OneDnnBuildTest.onBuild(build, OneDnnCanaryMain.class, "-Xmx512m", 2);
        assertEquals(0, run.exitValue(), run.output());
        assertTrue(run.output().contains("BUG PRESENT dilated-float-conv"),
                fixed("OneDNN's dilated FLOAT convolutions on the " + build.extension() + " build",
                        "graph.NativeBackend.dilatedConvolutionFails and nn.ConvEmitter.dilateKernel") + "\n" + run.output());
    }
}
