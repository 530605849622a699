package org.brainstate4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.brainstate4j.nn.Conv1d;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.Conv3d;
import org.brainstate4j.nn.ConvTranspose1d;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.ConvTranspose3d;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.Module;
import org.brainstate4j.nn.Padding;
import org.brainstate4j.nn.ScaledWSConv1d;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.ScaledWSConv3d;
import org.brainstate4j.nn.init.Constant;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * Each DL4J layer configuration, alone in a MultiLayerNetwork, against the SameDiff layer it wraps:
 * the same parameter values from the same seed, the same output for the same input, the same output
 * type as the SameDiff layer's output size, and the same refusal message for a bad setting.
 */
class Dl4jLayersTest {
    private static final long SEED = 42;

    /** One case: the DL4J configuration, the same layer built by its SameDiff builder, the input type. */
    record Case(String label, Layer dl4j, Module samediff, InputType inputType, long[] batchedInput) {
        @Override public String toString() { return label; }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // Conv: 1-D NCW and NWC, 2-D NCHW and NHWC, 3-D NDHWC and NCDHW
                new Case("Conv1d NCW", Dl4jConv.conv1d().outChannels(4).kernelSize(3).stride(2).bias(true).seed(SEED).build(),
                        Conv1d.builder().inSize(3, 9).channelFirst(true).outChannels(4).kernelSize(3).stride(2)
                                .biasInit(Constant.ZEROS).seed(SEED).build(),
                        InputType.recurrent(3, 9, RNNFormat.NCW), new long[] {2, 3, 9}),
                new Case("Conv1d NWC", Dl4jConv.conv1d().outChannels(4).kernelSize(3).lhsDilation(2).padding(1).seed(SEED).build(),
                        Conv1d.builder().inSize(9, 3).outChannels(4).kernelSize(3).lhsDilation(2).padding(1).seed(SEED).build(),
                        InputType.recurrent(3, 9, RNNFormat.NWC), new long[] {2, 9, 3}),
                new Case("Conv2d NCHW", Dl4jConv.conv2d().outChannels(6).kernelSize(3).groups(2).padding("VALID").seed(SEED).build(),
                        Conv2d.builder().inSize(4, 7, 6).channelFirst(true).outChannels(6).kernelSize(3).groups(2)
                                .padding("VALID").seed(SEED).build(),
                        InputType.convolutional(7, 6, 4, CNN2DFormat.NCHW), new long[] {2, 4, 7, 6}),
                new Case("Conv2d NHWC", Dl4jConv.conv2d().outChannels(5).kernelSize(3, 2).rhsDilation(2).stride(2).bias(true).seed(SEED).build(),
                        Conv2d.builder().inSize(8, 7, 3).outChannels(5).kernelSize(3, 2).rhsDilation(2).stride(2)
                                .biasInit(Constant.ZEROS).seed(SEED).build(),
                        InputType.convolutional(8, 7, 3, CNN2DFormat.NHWC), new long[] {2, 8, 7, 3}),
                new Case("Conv3d NDHWC", Dl4jConv.conv3d().outChannels(3).kernelSize(2).paddingPairs(new int[] {1, 0}).seed(SEED).build(),
                        Conv3d.builder().inSize(4, 5, 3, 2).outChannels(3).kernelSize(2).padding(Padding.pairs(new int[] {1, 0}))
                                .seed(SEED).build(),
                        InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, 4, 5, 3, 2), new long[] {2, 4, 5, 3, 2}),
                // ScaledWSConv: with and without gain, both layouts
                new Case("ScaledWSConv1d NCW", Dl4jScaledWSConv.scaledWSConv1d().outChannels(4).kernelSize(3).bias(true).seed(SEED).build(),
                        ScaledWSConv1d.builder().inSize(2, 8).channelFirst(true).outChannels(4).kernelSize(3)
                                .biasInit(Constant.ZEROS).seed(SEED).build(),
                        InputType.recurrent(2, 8, RNNFormat.NCW), new long[] {3, 2, 8}),
                new Case("ScaledWSConv2d NHWC", Dl4jScaledWSConv.scaledWSConv2d().outChannels(6).kernelSize(3).stride(2).eps(1e-3).seed(SEED).build(),
                        ScaledWSConv2d.builder().inSize(7, 7, 3).outChannels(6).kernelSize(3).stride(2).eps(1e-3).seed(SEED).build(),
                        InputType.convolutional(7, 7, 3, CNN2DFormat.NHWC), new long[] {2, 7, 7, 3}),
                new Case("ScaledWSConv3d NCDHW", Dl4jScaledWSConv.scaledWSConv3d().outChannels(2).kernelSize(2).wsGain(false).seed(SEED).build(),
                        ScaledWSConv3d.builder().inSize(3, 4, 3, 3).channelFirst(true).outChannels(2).kernelSize(2).wsGain(false)
                                .seed(SEED).build(),
                        InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 3, 3, 3), new long[] {2, 3, 4, 3, 3}),
                // ConvTranspose: SAME and VALID, both layouts
                new Case("ConvTranspose1d NWC", Dl4jConvTranspose.convTranspose1d().outChannels(3).kernelSize(4).stride(2).seed(SEED).build(),
                        ConvTranspose1d.builder().inSize(5, 2).outChannels(3).kernelSize(4).stride(2).seed(SEED).build(),
                        InputType.recurrent(2, 5, RNNFormat.NWC), new long[] {2, 5, 2}),
                new Case("ConvTranspose2d NCHW", Dl4jConvTranspose.convTranspose2d().outChannels(4).kernelSize(3).stride(2)
                                .padding("VALID").bias(true).seed(SEED).build(),
                        ConvTranspose2d.builder().inSize(2, 4, 5).channelFirst(true).outChannels(4).kernelSize(3).stride(2)
                                .padding("VALID").biasInit(Constant.ZEROS).seed(SEED).build(),
                        InputType.convolutional(4, 5, 2, CNN2DFormat.NCHW), new long[] {2, 2, 4, 5}),
                new Case("ConvTranspose3d NDHWC", Dl4jConvTranspose.convTranspose3d().outChannels(2).kernelSize(2).stride(2).seed(SEED).build(),
                        ConvTranspose3d.builder().inSize(2, 3, 2, 3).outChannels(2).kernelSize(2).stride(2).seed(SEED).build(),
                        InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, 2, 3, 2, 3), new long[] {2, 2, 3, 2, 3}),
                // GroupNorm on images of both layouts and on feature vectors; Linear on feature vectors
                new Case("GroupNorm NCHW", Dl4jGroupNorm.builder().numGroups(2).epsilon(1e-5).build(),
                        GroupNorm.builder().inSize(4, 3, 5).channelFirst(true).numGroups(2).epsilon(1e-5).build(),
                        InputType.convolutional(3, 5, 4, CNN2DFormat.NCHW), new long[] {3, 4, 3, 5}),
                new Case("GroupNorm NHWC", Dl4jGroupNorm.builder().groupSize(3).bias(false).build(),
                        GroupNorm.builder().inSize(3, 5, 6).groupSize(3).biasInit(null).build(),
                        InputType.convolutional(3, 5, 6, CNN2DFormat.NHWC), new long[] {3, 3, 5, 6}),
                new Case("GroupNorm feed-forward", Dl4jGroupNorm.builder().numGroups(4).build(),
                        GroupNorm.builder().inSize(8).numGroups(4).build(),
                        InputType.feedForward(8), new long[] {3, 8}),
                new Case("Linear", Dl4jLinear.builder().outFeatures(5).seed(SEED).build(),
                        Linear.builder().inSize(7).outSize(5).seed(SEED).build(),
                        InputType.feedForward(7), new long[] {4, 7}),
                new Case("Linear without bias", Dl4jLinear.builder().outFeatures(3).bias(false).seed(SEED).build(),
                        Linear.builder().inSize(6).outSize(3).biasInit(null).seed(SEED).build(),
                        InputType.feedForward(6), new long[] {2, 6})
        ).map(Arguments::of);
    }

    static MultiLayerNetwork network(Layer layer, InputType inputType) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .list().layer(layer).setInputType(inputType).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray sameDiffOutput(Module layer, INDArray input) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", input.dataType(), input.shape());
        SDVariable y = layer.apply(sd, x);
        return sd.output(Map.of("x", input), y.name()).get(y.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameParametersAndOutputAsTheSameDiffLayer(Case c) {
        MultiLayerNetwork net = network(c.dl4j(), c.inputType());
        Map<String, INDArray> expected = c.samediff().parameters();
        Map<String, INDArray> actual = net.paramTable();
        assertEquals(expected.size(), actual.size(), "parameters: " + actual.keySet());
        expected.forEach((name, value) -> assertEquals(value, actual.get("0_" + name), name));

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, c.batchedInput());
        INDArray dl4j = net.output(x);
        INDArray samediff = sameDiffOutput(c.samediff(), x);
        assertArrayEquals(samediff.shape(), dl4j.shape());
        assertTrue(samediff.equalsWithEps(dl4j, 1e-5), () -> "output differs:\n" + samediff + "\nvs\n" + dl4j);

        InputType out = net.getLayerWiseConfigurations().getConf(0).getLayer().getOutputType(0, c.inputType());
        long[] perSample = java.util.Arrays.copyOfRange(samediff.shape(), 1, samediff.shape().length);
        assertArrayEquals(SampleLayout.of("test", out).inSize(), perSample, "output type " + out);
    }

    @Test
    void badSettingsAreRefusedWithTheSameDiffBuildersMessage() {
        String samediff = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder().inSize(4, 6, 6).channelFirst(true)
                .outChannels(6).kernelSize(3).groups(4).build()).getMessage();
        String dl4j = assertThrows(IllegalArgumentException.class, () -> network(
                Dl4jConv.conv2d().outChannels(6).kernelSize(3).groups(4).build(),
                InputType.convolutional(6, 6, 4, CNN2DFormat.NCHW))).getMessage();
        assertEquals(samediff, dl4j);

        String tooBig = assertThrows(IllegalArgumentException.class, () -> network(
                Dl4jConvTranspose.convTranspose2d().outChannels(2).kernelSize(3).paddingPairs(new int[] {-9, 0}).build(),
                InputType.convolutional(4, 4, 2, CNN2DFormat.NHWC))).getMessage();
        assertTrue(tooBig.startsWith("ConvTranspose2d: padding [-9, 0] along spatial axis 0 would crop"), tooBig);

        String groups = assertThrows(IllegalArgumentException.class, () -> network(
                Dl4jGroupNorm.builder().numGroups(3).build(), InputType.convolutional(2, 2, 4, CNN2DFormat.NHWC))).getMessage();
        assertEquals("GroupNorm: numGroups (=3) must be positive and divide the number of channels (=4)", groups);

        String rank = assertThrows(IllegalArgumentException.class, () -> network(
                Dl4jConv.conv3d().outChannels(2).kernelSize(2).build(), InputType.convolutional(4, 4, 2))).getMessage();
        assertTrue(rank.startsWith("Conv3d: expects a convolutional3D input"), rank);
    }
}
