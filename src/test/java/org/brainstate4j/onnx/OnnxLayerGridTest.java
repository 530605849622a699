package org.brainstate4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.brainstate4j.io.OnnxExport;
import org.brainstate4j.nn.Conv1d;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.Conv3d;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.ConvTranspose1d;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.ConvTranspose3d;
import org.brainstate4j.nn.Module;
import org.brainstate4j.nn.Padding;
import org.brainstate4j.nn.ScaledWSConv1d;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.ScaledWSConv3d;
import org.brainstate4j.nn.init.Normal;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every convolution option exported to ONNX and run by ONNX Runtime gives the SameDiff graph's output
 * (the layer applied to an ordinary training graph) within 1e-5 on random float32 inputs (absolute,
 * or relative to the output's largest magnitude where that exceeds 1). The grid
 * is family (Conv, ScaledWSConv, ConvTranspose) x rank (1, 2, 3) x layout (channels-last, channel-first)
 * x variant (every padding form, stride, groups and depthwise, kernel and input dilation, crops,
 * bias, mask). By default every family, variant and rank runs in one layout, alternating (75
 * cases); {@code -Dbrainstate4j.fullGrid=true} runs both layouts (150).
 */
class OnnxLayerGridTest {
    private static final boolean FULL_GRID = Boolean.getBoolean("brainstate4j.fullGrid");
    static final double TOLERANCE = 1e-5;
    private static final int IN_CHANNELS = 4;

    private record Variant(String name, int outChannels, BiConsumer<ConvLayer.Builder<?>, Integer> settings) {
        Variant(String name, int outChannels, Consumer<ConvLayer.Builder<?>> settings) {
            this(name, outChannels, (b, rank) -> settings.accept(b));
        }
    }

    private static final List<Variant> FORWARD = List.of(
            new Variant("SAME k3 bias", 6, b -> b.kernelSize(3).padding("SAME").biasInit(new Normal(0.0, 0.5))),
            new Variant("SAME k3 stride 2 groups 2", 6, b -> b.kernelSize(3).stride(2).groups(2)),
            new Variant("VALID k3 rhsDilation 2", 6, b -> b.kernelSize(3).padding("VALID").rhsDilation(2)),
            new Variant("padding 1 depthwise", 8, b -> b.kernelSize(3).padding(1).groups(IN_CHANNELS)),
            // a flat sequence: one symmetric amount per axis; in 1-D a flat pair is one (lo, hi) pair
            new Variant("flat per-axis padding stride 2", 6, (b, rank) -> b.kernelSize(2).stride(2)
                    .padding(Padding.perAxis(rank == 3 ? new int[] {1, 0, 2} : new int[] {1, 0}))),
            new Variant("asymmetric pairs rhsDilation 2 mask", 6, b -> b.kernelSize(3).padding(Padding.pairs(new int[] {1, 2}))
                    .rhsDilation(2).weightMask(Nd4j.createFromArray(1f, 0f, 1f, 1f, 0f, 1f))),
            new Variant("negative pairs (crop) bias", 6, b -> b.kernelSize(2).padding(Padding.pairs(new int[] {-1, 2}))
                    .biasInit(new Normal(0.0, 0.5))),
            new Variant("lhsDilation 2 pairs bias", 6, b -> ((ConvLayer.ForwardBuilder<?>) b).lhsDilation(2).kernelSize(3)
                    .padding(Padding.pairs(new int[] {1, 0})).biasInit(new Normal(0.0, 0.5))),
            new Variant("lhsDilation 3 stride 2 negative pad groups 2", 6, b -> ((ConvLayer.ForwardBuilder<?>) b).lhsDilation(3)
                    .kernelSize(2).stride(2).groups(2).padding(Padding.pairs(new int[] {-1, 1}))));

    private static final List<Variant> TRANSPOSED = List.of(
            new Variant("SAME k4 stride 2 bias", 6, b -> b.kernelSize(4).stride(2).biasInit(new Normal(0.0, 0.5))),
            new Variant("SAME k3 stride 2 groups 2", 6, b -> b.kernelSize(3).stride(2).groups(2)),
            new Variant("VALID k4 stride 2 rhsDilation 2", 6, b -> b.kernelSize(4).stride(2).padding("VALID").rhsDilation(2)),
            new Variant("VALID k1 stride 2 (appended zeros) bias", 6, b -> b.kernelSize(1).stride(2).padding("VALID")
                    .biasInit(new Normal(0.0, 0.5))),
            new Variant("pairs beyond the kernel (4, 1) bias", 6, b -> b.kernelSize(3).padding(Padding.pairs(new int[] {4, 1}))
                    .stride(2).biasInit(new Normal(0.0, 0.5))),
            new Variant("padding 1 stride 3 mask", 6, b -> b.kernelSize(3).stride(3).padding(1)
                    .weightMask(Nd4j.createFromArray(1f, 1f, 0f, 1f))),
            new Variant("SAME k2 stride 2 depthwise", 8, b -> b.kernelSize(2).stride(2).groups(IN_CHANNELS)));

    @TestFactory
    Stream<DynamicTest> exportedLayersMatchSameDiff() {
        List<DynamicTest> tests = new ArrayList<>();
        int rotation = 0;
        for (String family : List.of("Conv", "ScaledWSConv", "ConvTranspose")) {
            List<Variant> variants = family.equals("ConvTranspose") ? TRANSPOSED : FORWARD;
            for (Variant v : variants) {
                for (int rank = 1; rank <= 3; rank++) {
                    for (boolean channelFirst : new boolean[] {false, true}) {
                        boolean fast = channelFirst == ((rotation + rank) % 2 == 1);
                        if (!FULL_GRID && !fast) continue;
                        int n = rank;
                        String name = family + n + "d " + (channelFirst ? "channel-first" : "channels-last") + " " + v.name();
                        tests.add(DynamicTest.dynamicTest(name, () -> check(name, layer(family, n, channelFirst, v))));
                    }
                }
                rotation++;
            }
        }
        return tests.stream();
    }

    private static ConvLayer layer(String family, int rank, boolean channelFirst, Variant v) {
        ConvLayer.Builder<?> b = switch (family + rank) {
            case "Conv1" -> Conv1d.builder();
            case "Conv2" -> Conv2d.builder();
            case "Conv3" -> Conv3d.builder();
            case "ScaledWSConv1" -> ScaledWSConv1d.builder();
            case "ScaledWSConv2" -> ScaledWSConv2d.builder();
            case "ScaledWSConv3" -> ScaledWSConv3d.builder();
            case "ConvTranspose1" -> ConvTranspose1d.builder();
            case "ConvTranspose2" -> ConvTranspose2d.builder();
            case "ConvTranspose3" -> ConvTranspose3d.builder();
            default -> throw new IllegalArgumentException(family + rank);
        };
        long[] spatial = rank == 1 ? new long[] {11} : rank == 2 ? new long[] {9, 8} : new long[] {5, 6, 7};
        long[] inSize = new long[rank + 1];
        for (int i = 0; i < rank; i++) inSize[channelFirst ? i + 1 : i] = spatial[i];
        inSize[channelFirst ? 0 : rank] = IN_CHANNELS;
        b.inSize(inSize).outChannels(v.outChannels()).channelFirst(channelFirst).seed(rank * 31L + v.name().length());
        v.settings().accept(b, rank);
        return b.build();
    }

    /** Exports {@code module}, runs it in ONNX Runtime and in SameDiff on the same random input, compares. */
    static void check(String name, Module module, long... sampleShape) throws Exception {
        long[] sample = sampleShape.length > 0 ? sampleShape : ((ConvLayer) module).inSize();
        long[] shape = new long[sample.length + 1];
        shape[0] = 2;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Nd4j.getRandom().setSeed(name.hashCode());
        INDArray input = Nd4j.randn(DataType.FLOAT, shape);
        INDArray expected = sameDiffOutput(module, input);
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(OnnxExport.bytes(module, sample))) {
            INDArray actual = ort.run(input);
            assertArrayEquals(expected.shape(), actual.shape(), name + ": output shape");
            double error = expected.sub(actual).amaxNumber().doubleValue();
            assertTrue(error <= TOLERANCE * Math.max(1, expected.amaxNumber().doubleValue()), String.format("%s: max |SameDiff - ONNX Runtime| = %.3g (output scale %.3g)",
                    name, error, expected.amaxNumber().doubleValue()));
        }
    }

    /** The module applied to an ordinary (training-form) SameDiff graph. */
    static INDArray sameDiffOutput(Module module, INDArray input) {
        SameDiff sd = SameDiff.create();
        long[] shape = input.shape().clone();
        shape[0] = -1;
        SDVariable y = module.apply(sd, sd.placeHolder("x", DataType.FLOAT, shape));
        return sd.output(Map.of("x", input), y.name()).get(y.name());
    }

    static String shape(long[] s) {
        return Arrays.toString(s);
    }
}
