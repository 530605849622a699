package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.brainstate4j.nn.FiniteDifferences;
import org.brainstate4j.nn.Network;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each tutorial network, plain and weight-standardized, built in float64 with its builder's
 * {@code dataType} and gradient-checked whole: central differences of {@code sum(y * dy)} against
 * SameDiff's gradients for three entries of the input and of every parameter (small sizes, so the
 * check takes seconds).
 */
class NetworkGradientCheckTest {
    private static final DataType F64 = DataType.DOUBLE;

    static Stream<Arguments> networks() {
        List<Arguments> out = new ArrayList<>();
        for (boolean ws : new boolean[] {false, true}) {
            String variant = ws ? " WS + GroupNorm" : "";
            out.add(network("SimpleCNN 8x8x2" + variant, () -> SimpleCNN.builder().inSize(8, 8, 2).numClasses(3)
                    .weightStandardized(ws).dataType(F64).seed(5).build()));
            out.add(network("ConvAutoencoder 16x16x2" + variant, () -> ConvAutoencoder.builder().inSize(16, 16, 2).latentDim(8)
                    .groupNormGroups(2).weightStandardized(ws).dataType(F64).seed(5).build()));
            out.add(network("SimpleUNet w4 16x16x2" + variant, () -> SimpleUNet.builder().inSize(16, 16, 2).numClasses(3).width(4)
                    .groupNormGroups(2).weightStandardized(ws).dataType(F64).seed(5).build()));
        }
        return out.stream();
    }

    private static Arguments network(String name, java.util.function.Supplier<Network> network) {
        return Arguments.of(Named.of(name, network));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void gradientsMatchFiniteDifferences(java.util.function.Supplier<Network> build) {
        Network net = build.get();
        long[] sample = inSize(net);
        Nd4j.getRandom().setSeed(17);
        INDArray input = Nd4j.rand(F64, 2, sample[0], sample[1], sample[2]);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", F64, -1, sample[0], sample[1], sample[2]);
        SDVariable y = net.apply(sd, x);
        assertEquals(F64, y.dataType(), "the network computes in float64");
        INDArray output = sd.output(Map.of("x", input), y.name()).get(y.name());
        SDVariable loss = y.mul(sd.constant("cotangent", Nd4j.randn(F64, output.shape()))).sum();
        List<String> wrt = new ArrayList<>(List.of("x"));
        net.parameters().keySet().forEach(p -> wrt.add(net.name() + "/" + p));
        FiniteDifferences.check(sd, loss.name(), Map.of("x", input), wrt, 3, net.name());
    }

    @Test
    void dataTypesOtherThanFloatAndDoubleAreRefusedByTheNetwork() {
        Map<String, Function<DataType, Object>> builders = Map.of(
                "SimpleCNN", t -> SimpleCNN.builder().dataType(t).build(),
                "SimpleUNet", t -> SimpleUNet.builder().dataType(t).build(),
                "ConvAutoencoder", t -> ConvAutoencoder.builder().dataType(t).build());
        builders.forEach((name, build) -> assertEquals(name + ": dataType (=HALF) must be FLOAT or DOUBLE",
                assertThrows(IllegalArgumentException.class, () -> build.apply(DataType.HALF)).getMessage()));
    }

    private static long[] inSize(Network net) {
        if (net instanceof SimpleCNN n) return n.inSize();
        if (net instanceof SimpleUNet n) return n.inSize();
        return ((ConvAutoencoder) net).inSize();
    }
}
