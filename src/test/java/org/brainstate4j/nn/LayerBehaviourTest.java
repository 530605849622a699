package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.brainstate4j.nn.init.Constant;
import org.brainstate4j.nn.init.Seeds;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Naming, parameter sharing, introspection, initialization and training of the emitted subgraph. */
class LayerBehaviourTest {

    @Test
    void parametersAreScopedTrainableVariables() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 8, 8, 3);
        ScaledWSConv2d ws = ScaledWSConv2d.builder().inSize(8, 8, 3).outChannels(4).kernelSize(3)
                .biasInit(Constant.ZEROS).name("enc1").build();
        SDVariable y;
        try (NameScope ignored = sd.withNameScope("unet")) {
            y = ws.apply(sd, x);
        }
        for (String p : List.of("weight", "bias", "gain")) {
            SDVariable v = sd.getVariable("unet/enc1/" + p);
            assertEquals(VariableType.VARIABLE, v.getVariableType(), p + " must be trainable");
            assertSame(ws.parameters().get(p), v.getArr(), p + " shares the layer's array");
        }
        assertTrue(y.name().startsWith("unet/enc1/"), "ops are emitted under the name scope: " + y.name());
    }

    @Test
    void applyingTwiceReusesTheSameParameters() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2, 6, 6, 4);
        Conv2d shared = Conv2d.builder().inSize(6, 6, 4).outChannels(4).kernelSize(3).biasInit(Constant.ONES)
                .name("shared").build();
        SDVariable once = shared.apply(sd, x);
        SDVariable twice = shared.apply(sd, once);
        long variables = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE).count();
        assertEquals(2, variables, "weight and bias only, shared by both applications");
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 6, 6, 4);
        Map<String, INDArray> out = sd.output(Map.of("x", input), once.name(), twice.name());
        INDArray expected = Graphs.forward(shared, out.get(once.name()));
        assertEquals(expected, out.get(twice.name()));
    }

    @Test
    void unbatchedInputGivesUnbatchedOutput() {
        Conv1d conv = Conv1d.builder().inSize(10, 3).outChannels(5).kernelSize(3).stride(2).seed(1).build();
        INDArray sample = Nd4j.rand(DataType.FLOAT, 10, 3);
        INDArray single = Graphs.forward(conv, sample);
        assertArrayEquals(conv.outSize(), single.shape());
        INDArray batched = Graphs.forward(conv, sample.reshape(1, 10, 3));
        assertEquals(batched.reshape(conv.outSize()), single);
    }

    @Test
    void mixedSignPaddingCropsThenPads() {
        // lax semantics: a negative pad removes input; (-1, 2) on H equals cropping one row, then (0, 2).
        // (JAX 0.10's CPU backend miscomputes such mixed pairs, so this path has no golden fixture.)
        INDArray weight = Nd4j.rand(DataType.FLOAT, 3, 3, 2, 4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 7, 6, 2);
        Conv2d mixed = Conv2d.builder().inSize(7, 6, 2).outChannels(4).kernelSize(3).weight(weight)
                .padding(Padding.pairs(new int[] {-1, 2}, new int[] {1, -1})).build();
        Conv2d cropped = Conv2d.builder().inSize(6, 5, 2).outChannels(4).kernelSize(3).weight(weight)
                .padding(Padding.pairs(new int[] {0, 2}, new int[] {1, 0})).build();
        INDArray expected = Graphs.forward(cropped, x.get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 7),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
        assertArrayEquals(mixed.outSize(), new long[] {6, 4, 4});
        assertEquals(expected, Graphs.forward(mixed, x));
    }

    @Test
    void introspectionRightAfterConstruction() {
        ConvTranspose2d t = ConvTranspose2d.builder().inSize(3, 16, 16).outChannels(8).kernelSize(4).stride(2)
                .channelFirst(true).biasInit(Constant.ZEROS).build();
        assertArrayEquals(new long[] {3, 16, 16}, t.inSize());
        assertArrayEquals(new long[] {8, 32, 32}, t.outSize());
        assertArrayEquals(new long[] {4, 4, 8, 3}, t.kernelShape());
        assertEquals(3, t.inChannels());
        assertEquals(8, t.outChannels());
        assertArrayEquals(new long[] {1, 8, 1, 1}, t.bias().orElseThrow().shape());
        assertEquals(4 * 4 * 8 * 3 + 8, t.parameterCount());
        assertEquals(DataType.FLOAT, t.weight().dataType());
    }

    @Test
    void xavierNormalHasTheRightScaleAndIsReproducible() {
        // fan_in = 3*3*64, fan_out = 3*3*128: variance 2 / (576 + 1152)
        Conv2d a = Conv2d.builder().inSize(8, 8, 64).outChannels(128).kernelSize(3).seed(42).build();
        Conv2d b = Conv2d.builder().inSize(8, 8, 64).outChannels(128).kernelSize(3).seed(42).build();
        Conv2d c = Conv2d.builder().inSize(8, 8, 64).outChannels(128).kernelSize(3).seed(43).build();
        assertEquals(a.weight(), b.weight(), "same seed, same weights");
        assertNotEquals(a.weight(), c.weight());
        double expectedStd = Math.sqrt(2.0 / (576 + 1152));
        double std = a.weight().stdNumber().doubleValue();
        assertEquals(expectedStd, std, expectedStd * 0.02, "XavierNormal std");
        double maxAbs = a.weight().amax().getDouble(0);
        assertTrue(maxAbs <= 2 * expectedStd / 0.87962566103423978 + 1e-6, "truncated at two (rescaled) stddevs");
    }

    @Test
    void groupNormInitializersFollowTheLayersSeed() {
        java.util.function.LongFunction<INDArray> scale = seed -> GroupNorm.builder().inSize(3, 8).numGroups(2)
                .scaleInit(new org.brainstate4j.nn.init.Normal(1.0, 0.1)).seed(seed).build().parameters().get("scale");
        assertEquals(scale.apply(3), scale.apply(3));
        assertNotEquals(scale.apply(3), scale.apply(4), "GroupNorm's initializers are seeded by its seed, not a fixed 0");
    }

    @Test
    void globalSeedMakesUnseededLayersReproducible() {
        Seeds.setGlobalSeed(5);
        INDArray first = Conv1d.builder().inSize(4, 2).outChannels(2).kernelSize(3).build().weight();
        Seeds.setGlobalSeed(5);
        INDArray again = Conv1d.builder().inSize(4, 2).outChannels(2).kernelSize(3).build().weight();
        assertEquals(first, again);
    }

    @Test
    void trainingUpdatesEveryParameterIncludingGain() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 6, 6, 2);
        ScaledWSConv2d ws = ScaledWSConv2d.builder().inSize(6, 6, 2).outChannels(3).kernelSize(3)
                .biasInit(Constant.ZEROS).seed(3).build();
        SDVariable y = ws.apply(sd, x);
        y.mul(y).mean().markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(0.05)).dataSetFeatureMapping("x")
                .markLabelsUnused().build());
        Map<String, INDArray> before = new java.util.HashMap<>();
        ws.parameters().forEach((k, v) -> before.put(k, v.dup()));
        sd.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 4, 6, 6, 2), null));
        ws.parameters().forEach((k, v) -> assertNotEquals(before.get(k), v, k + " should have been trained"));
    }
}
