package org.brainstate4j.nn;

import static org.brainstate4j.nn.Graphs.forward;
import static org.brainstate4j.nn.Graphs.ones;
import static org.brainstate4j.nn.Graphs.product;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainstate4j.nn.init.Constant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shapes printed by BrainState's convolution tutorial (spec section 8), reproduced by building
 * the same layers and running them on DL4J.
 */
class TutorialShapesTest {

    /** Runs the layer on ones of {@code (batch, *inSize)}; checks the result against outSize and the tutorial. */
    private static void assertOutput(ConvLayer layer, long batch, long... expected) {
        INDArray y = forward(layer, ones(batch, layer.inSize()));
        assertArrayEquals(expected, y.shape(), layer.toString());
        long[] sample = new long[expected.length - 1];
        System.arraycopy(expected, 1, sample, 0, sample.length);
        assertArrayEquals(sample, layer.outSize(), "outSize of " + layer);
    }

    @Test
    void conv1dSequenceAndDownsampling() {
        Conv1d conv = Conv1d.builder().inSize(100, 3).outChannels(16).kernelSize(5).stride(1).padding("SAME").build();
        assertOutput(conv, 4, 4, 100, 16);
        assertArrayEquals(new long[] {5, 3, 16}, conv.kernelShape());
        Conv1d down = Conv1d.builder().inSize(100, 16).outChannels(32).kernelSize(3).stride(2).padding("SAME").build();
        assertOutput(down, 4, 4, 50, 32);
    }

    @Test
    void conv2dWithBias() {
        Conv2d conv = Conv2d.builder().inSize(32, 32, 3).outChannels(64).kernelSize(3).stride(1).padding("SAME")
                .biasInit(new Constant(0.0)).build();
        assertOutput(conv, 8, 8, 32, 32, 64);
        assertArrayEquals(new long[] {3, 3, 3, 64}, conv.kernelShape());
        assertTrue(conv.parameters().containsKey("bias"), "Has bias: True");
    }

    @ParameterizedTest(name = "kernel {0}x{0}: {1} parameters")
    @CsvSource({"1, 48", "3, 432", "5, 1200", "7, 2352"})
    void conv2dKernelSizes(int k, long parameters) {
        Conv2d conv = Conv2d.builder().inSize(32, 32, 3).outChannels(16).kernelSize(k).padding("SAME").build();
        assertOutput(conv, 1, 1, 32, 32, 16);
        assertEquals(parameters, product(conv.kernelShape()));
    }

    @Test
    void conv3dVolume() {
        Conv3d conv = Conv3d.builder().inSize(16, 64, 64, 3).outChannels(32).kernelSize(3).stride(1).padding("SAME").build();
        assertOutput(conv, 2, 2, 16, 64, 64, 32);
        assertArrayEquals(new long[] {3, 3, 3, 3, 32}, conv.kernelShape());
        assertEquals(2592, product(conv.kernelShape()));
    }

    @Test
    void scaledWSConv2dHasGain() {
        ScaledWSConv2d ws = ScaledWSConv2d.builder().inSize(32, 32, 64).outChannels(128).kernelSize(3).eps(1e-4).build();
        assertOutput(ws, 4, 4, 32, 32, 128);
        assertEquals(java.util.List.of("weight", "gain"), java.util.List.copyOf(ws.parameters().keySet()));
        assertArrayEquals(new long[] {1, 1, 1, 128}, ws.parameters().get("gain").shape());
        Conv2d standard = Conv2d.builder().inSize(32, 32, 64).outChannels(128).kernelSize(3).build();
        assertEquals(java.util.List.of("weight"), java.util.List.copyOf(standard.parameters().keySet()));
    }

    @Test
    void transposedUpsampling() {
        assertOutput(ConvTranspose1d.builder().inSize(50, 32).outChannels(16).kernelSize(4).stride(2).padding("SAME").build(),
                4, 4, 100, 16);
        assertOutput(ConvTranspose2d.builder().inSize(16, 16, 128).outChannels(64).kernelSize(4).stride(2).padding("SAME").build(),
                4, 4, 32, 32, 64);
        assertOutput(ConvTranspose3d.builder().inSize(8, 16, 16, 64).outChannels(32).kernelSize(4).stride(2).padding("SAME").build(),
                2, 2, 16, 32, 32, 32);
    }

    @ParameterizedTest(name = "stride {0}: 16x16 -> {1}x{1}")
    @CsvSource({"1, 16", "2, 32", "3, 48", "4, 64"})
    void transposedStrides(int stride, long out) {
        ConvTranspose2d t = ConvTranspose2d.builder().inSize(16, 16, 64).outChannels(32).kernelSize(4).stride(stride)
                .padding("SAME").build();
        assertOutput(t, 1, 1, out, out, 32);
    }

    @Test
    void groupedAndDepthwiseParameterCounts() {
        Conv2d standard = Conv2d.builder().inSize(32, 32, 64).outChannels(128).kernelSize(3).groups(1).build();
        Conv2d grouped = Conv2d.builder().inSize(32, 32, 64).outChannels(128).kernelSize(3).groups(4).build();
        Conv2d depthwise = Conv2d.builder().inSize(32, 32, 64).outChannels(64).kernelSize(3).groups(64).build();
        assertArrayEquals(new long[] {3, 3, 64, 128}, standard.kernelShape());
        assertArrayEquals(new long[] {3, 3, 16, 128}, grouped.kernelShape());
        assertArrayEquals(new long[] {3, 3, 1, 64}, depthwise.kernelShape());
        assertEquals(73_728, standard.parameterCount());
        assertEquals(18_432, grouped.parameterCount());
        assertEquals(576, depthwise.parameterCount());
        assertOutput(grouped, 2, 2, 32, 32, 128);
        assertOutput(depthwise, 2, 2, 32, 32, 64);
    }

    @ParameterizedTest(name = "dilation {0}: receptive field {1}")
    @CsvSource({"1, 3", "2, 5", "4, 9", "8, 17"})
    void dilationGrowsReceptiveFieldNotParameters(int dilation, int receptive) {
        Conv2d conv = Conv2d.builder().inSize(32, 32, 64).outChannels(64).kernelSize(3).rhsDilation(dilation)
                .padding("SAME").build();
        assertEquals(receptive, conv.spec().effectiveKernel(0));
        assertEquals(36_864, conv.parameterCount());
        assertOutput(conv, 1, 1, 32, 32, 64);
    }

    @Test
    void paddingModes() {
        Conv2d same = Conv2d.builder().inSize(32, 32, 3).outChannels(64).kernelSize(5).padding("SAME").build();
        Conv2d valid = Conv2d.builder().inSize(32, 32, 3).outChannels(64).kernelSize(5).padding("VALID").build();
        Conv2d custom = Conv2d.builder().inSize(32, 32, 3).outChannels(64).kernelSize(5)
                .padding(Padding.pairs(new int[] {2, 2}, new int[] {2, 2})).build();
        assertOutput(same, 1, 1, 32, 32, 64);
        assertOutput(valid, 1, 1, 28, 28, 64);
        assertOutput(custom, 1, 1, 32, 32, 64);
    }
}
