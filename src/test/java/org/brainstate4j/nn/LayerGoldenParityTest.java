package org.brainstate4j.nn;

import static org.brainstate4j.nn.GoldenParityTest.assertClose;
import static org.brainstate4j.nn.GoldenParityTest.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.brainstate4j.GoldenFixtures;
import org.brainstate4j.nn.init.Initializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.opentest4j.TestAbortedException;

/**
 * Parity with BrainState for {@link Linear} and {@link GroupNorm}: every case of
 * {@code src/test/resources/golden/layers} (written by {@code tools/golden/generate_layer_fixtures.py}
 * with JAX, following BrainState 0.5.4's {@code Linear.update} and {@code GroupNorm.update}) is
 * built through the layer's builder from the manifest's constructor arguments and the case's
 * parameters, and its output and the gradients of {@code sum(y * dy)} with respect to the input and
 * every parameter must match with {@link GoldenParityTest}'s rule: max abs error
 * {@code <= 1e-4 * max(max|expected|, max|y|)} (float32).
 */
class LayerGoldenParityTest {
    /** Worst error / scale seen per compared quantity, printed after the run. */
    private static final Map<String, Double> WORST = new ConcurrentSkipListMap<>();

    @AfterAll
    static void printWorst() {
        System.out.println("LayerGoldenParityTest worst max-abs-error / scale (limit 1e-4): " + WORST);
    }

    private static void close(String id, String what, INDArray expected, INDArray actual, double outputScale) {
        assertClose(id, what, expected, actual, outputScale);
        double scale = Math.max(expected.amaxNumber().doubleValue(), outputScale);
        double ratio = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
        WORST.merge(id.substring(0, id.indexOf('_')) + " " + what, ratio, Math::max);
    }

    @TestFactory
    Stream<DynamicTest> matchesJaxReference() throws IOException, URISyntaxException {
        GoldenFixtures fixtures = GoldenFixtures.load("layers");
        return fixtures.entries("cases").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("id").getAsString(),
                        () -> check(c, fixtures.arrays(c.get("id").getAsString()))));
    }

    private static void check(JsonObject c, Map<String, INDArray> arrays) {
        String id = c.get("id").getAsString();
        try {
            compare(id, layerFor(c, arrays), arrays);
        } catch (TestAbortedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AssertionError(id + ": " + e.getMessage(), e);
        }
    }

    /** The layer the case's constructor arguments describe, holding the case's parameters. */
    static Module layerFor(JsonObject c, Map<String, INDArray> arrays) {
        boolean bias = c.get("bias").getAsBoolean();
        switch (c.get("layer").getAsString()) {
            case "linear": {
                Linear.Builder b = Linear.builder().inSize(longs(c.get("in_size"))).outSize(longs(c.get("out_size")))
                        .weight(arrays.get("weight")).name("layer");
                b = bias ? b.bias(arrays.get("bias")) : b.biasInit(null);
                if (arrays.containsKey("mask")) b.weightMask(arrays.get("mask"));
                return b.build();
            }
            case "group_norm": {
                GroupNorm.Builder b = GroupNorm.builder().inSize(longs(c.get("in_size")))
                        .epsilon(c.get("epsilon").getAsDouble())
                        .channelFirst(c.get("channel_first").getAsBoolean()).name("layer");
                if (c.has("group_size")) b.groupSize(c.get("group_size").getAsInt());
                else b.numGroups(c.get("num_groups").getAsInt());
                b.scaleInit(c.get("scale").getAsBoolean() ? Initializer.of(arrays.get("scale")) : null);
                b.biasInit(bias ? Initializer.of(arrays.get("bias")) : null);
                return b.build();
            }
            default:
                throw new IllegalStateException("unknown layer " + c.get("layer"));
        }
    }

    private static void compare(String id, Module layer, Map<String, INDArray> arrays) {
        List<String> expectedParams = new ArrayList<>();
        for (String p : List.of("weight", "scale", "bias")) {
            if (arrays.containsKey(p)) expectedParams.add(p);
        }
        assertEquals(expectedParams.stream().sorted().toList(), layer.parameters().keySet().stream().sorted().toList(),
                id + ": parameter names");

        SameDiff sd = SameDiff.create();
        INDArray input = arrays.get("x");
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, input.shape());
        SDVariable y = layer.apply(sd, x);
        SDVariable loss = y.mul(sd.constant("dy", arrays.get("dy"))).sum();
        loss.markAsLoss();
        List<String> wrt = new ArrayList<>(List.of("x"));
        layer.parameters().keySet().forEach(p -> wrt.add(layer.name() + "/" + p));
        Map<String, INDArray> feeds = Map.of("x", input);
        INDArray output = sd.output(feeds, y.name()).get(y.name());
        assertArrayEquals(arrays.get("y").shape(), output.shape(), id + ": y shape");
        double outputScale = arrays.get("y").amaxNumber().doubleValue();
        close(id, "y", arrays.get("y"), output, outputScale);

        sd.createGradFunction("x");
        Map<String, INDArray> grads = sd.calculateGradients(feeds, wrt);
        close(id, "grad_x", arrays.get("grad_x"), grads.get("x"), outputScale);
        for (String p : layer.parameters().keySet()) {
            close(id, "grad_" + p, arrays.get("grad_" + p), grads.get(layer.name() + "/" + p), outputScale);
        }
    }
}
