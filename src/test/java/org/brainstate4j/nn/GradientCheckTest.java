package org.brainstate4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.brainstate4j.nn.init.Normal;

/**
 * Central-difference gradient checks in float64 for each family,
 * with respect to the input and every parameter, through the graph the layers emit: padding and
 * cropping, input dilation, groups, the lifted 1-D path, masks and weight standardization.
 */
class GradientCheckTest {
    private static final DataType F64 = DataType.DOUBLE;

    static Stream<Arguments> layers() {
        return Stream.of(
                layer("Conv2d stride 2 SAME, dilation 2, groups 2, bias", () -> Conv2d.builder().inSize(7, 6, 4)
                        .outChannels(4).kernelSize(3).stride(2).rhsDilation(2).groups(2).biasInit(new Normal(0, 1))),
                layer("Conv1d explicit (2,0) with lhsDilation 2", () -> Conv1d.builder().inSize(5, 2).outChannels(3)
                        .kernelSize(3).lhsDilation(2).padding(Padding.perAxis(2, 0))),
                layer("Conv2d mixed-sign explicit pads (-1, 2), (1, -1)", () -> Conv2d.builder().inSize(6, 5, 2)
                        .outChannels(3).kernelSize(3).padding(Padding.pairs(new int[] {-1, 2}, new int[] {1, -1}))),
                layer("Conv3d channel-first, negative pad, depthwise, mask", () -> Conv3d.builder().inSize(2, 4, 3, 4)
                        .outChannels(2).kernelSize(2).groups(2).channelFirst(true)
                        .padding(Padding.pairs(new int[] {1, -1}))
                        .weightMask(Nd4j.createFromArray(1.0, 0.0).reshape(1, 1, 1, 1, 2))),
                layer("Conv2d depthwise channel-first VALID", () -> Conv2d.builder().inSize(3, 5, 5).outChannels(6)
                        .kernelSize(2, 3).groups(3).channelFirst(true).padding("VALID").biasInit(new Normal(0, 1))),
                layer("ScaledWSConv2d gain, bias, full mask", () -> ScaledWSConv2d.builder().inSize(5, 5, 3)
                        .outChannels(4).kernelSize(3).biasInit(new Normal(0, 1))
                        .weightMask(Nd4j.rand(F64, 3, 3, 3, 4).gt(0.3).castTo(F64))),
                layer("ScaledWSConv1d no gain, stride 2", () -> ScaledWSConv1d.builder().inSize(9, 3).outChannels(2)
                        .kernelSize(4).stride(2).wsGain(false)),
                layer("ScaledWSConv3d groups 2 channel-first", () -> ScaledWSConv3d.builder().inSize(4, 3, 4, 3)
                        .outChannels(2).kernelSize(2).groups(2).channelFirst(true)),
                layer("ConvTranspose2d k3 s2 SAME (asymmetric crop), bias", () -> ConvTranspose2d.builder()
                        .inSize(3, 4, 3).outChannels(2).kernelSize(3).stride(2).padding("SAME").biasInit(new Normal(0, 1))),
                layer("ConvTranspose2d k1 s2 VALID (appends zeros), bias", () -> ConvTranspose2d.builder()
                        .inSize(3, 3, 2).outChannels(2).kernelSize(1).stride(2).padding("VALID").biasInit(new Normal(0, 1))),
                layer("ConvTranspose1d groups 2 dilation 2 channel-first", () -> ConvTranspose1d.builder().inSize(4, 5)
                        .outChannels(2).kernelSize(3).stride(2).rhsDilation(2).groups(2).channelFirst(true)),
                layer("ConvTranspose3d explicit pads", () -> ConvTranspose3d.builder().inSize(2, 3, 2, 2).outChannels(2)
                        .kernelSize(2).stride(2).padding(Padding.pairs(new int[] {1, 0}, new int[] {0, 2}, new int[] {1, 1}))));
    }

    private static Arguments layer(String name, Supplier<ConvLayer.Builder<?>> builder) {
        return Arguments.of(Named.of(name, builder));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void gradientsMatchFiniteDifferences(Supplier<ConvLayer.Builder<?>> builder) {
        ConvLayer layer = builder.get().dataType(F64).seed(7).build();
        Nd4j.getRandom().setSeed(11);
        long[] inputShape = Graphs.ones(2, layer.inSize()).shape();
        INDArray input = Nd4j.randn(F64, inputShape);
        INDArray cotangent = Nd4j.randn(F64, Graphs.ones(2, layer.outSize()).shape());

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", F64, inputShape);
        SDVariable y = layer.apply(sd, x);
        SDVariable loss = y.mul(sd.constant("cotangent", cotangent)).sum();

        List<String> wrt = new ArrayList<>(List.of("x"));
        layer.parameters().keySet().forEach(p -> wrt.add(layer.name() + "/" + p));
        FiniteDifferences.check(sd, loss.name(), Map.of("x", input), wrt, 30, layer.toString());
    }

    static Stream<Arguments> groupNorms() {
        return Stream.of(
                Arguments.of(Named.of("GroupNorm channels-last 2-D, 2 groups, scale and bias",
                        GroupNorm.builder().inSize(4, 3, 6).numGroups(2).scaleInit(new Normal(1, 0.5)).biasInit(new Normal(0, 1)))),
                Arguments.of(Named.of("GroupNorm channel-first 3-D, groups of 1", GroupNorm.builder().inSize(4, 2, 3, 2)
                        .groupSize(1).channelFirst(true).scaleInit(new Normal(1, 0.5)).biasInit(new Normal(0, 1)))),
                Arguments.of(Named.of("GroupNorm channels-last 1-D, no scale, no bias",
                        GroupNorm.builder().inSize(5, 4).numGroups(1).scaleInit(null).biasInit(null))));
    }

    /** GroupNorm's graph (statistics from per-channel sums, folded affine map) against finite differences. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("groupNorms")
    void groupNormGradientsMatchFiniteDifferences(GroupNorm.Builder builder) {
        GroupNorm norm = builder.dataType(F64).name("norm").build();
        Nd4j.getRandom().setSeed(13);
        long[] inputShape = Graphs.ones(3, norm.inSize()).shape();
        INDArray input = Nd4j.randn(F64, inputShape).muli(2).addi(0.5);
        INDArray cotangent = Nd4j.randn(F64, inputShape);

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", F64, inputShape);
        SDVariable loss = norm.apply(sd, x).mul(sd.constant("cotangent", cotangent)).sum();
        List<String> wrt = new ArrayList<>(List.of("x"));
        norm.parameters().keySet().forEach(p -> wrt.add("norm/" + p));
        FiniteDifferences.check(sd, loss.name(), Map.of("x", input), wrt, 30, norm.toString());
    }
}
