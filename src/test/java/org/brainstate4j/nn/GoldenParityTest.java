package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.brainstate4j.GoldenFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parity with BrainState: for every case of {@code src/test/resources/golden/conv} (written by
 * {@code tools/golden/generate_conv_fixtures.py} with JAX, following BrainState 0.5.4's code), the
 * layer is built from the same constructor arguments, loaded with the same parameters, and its
 * output and the gradients of {@code sum(y * dy)} with respect to the input and every parameter
 * must match within {@code 1e-4} of the scale (float32): the larger of the compared reference's and
 * the output's largest magnitude, so a gradient that nearly cancels (e.g. where the eps floor of
 * weight standardization is active) is judged on the output's scale, not on float32 round-off.
 *
 * <p>By default only the cases tagged {@code fast} run; {@code -Dbrainstate4j.fullGrid=true} runs
 * the whole grid.
 */
class GoldenParityTest {
    static final double TOLERANCE = 1e-4;
    private static final boolean FULL_GRID = Boolean.getBoolean("brainstate4j.fullGrid");

    @TestFactory
    Stream<DynamicTest> matchesJaxReference() throws IOException, URISyntaxException {
        return allCases().stream()
                .filter(c -> FULL_GRID || tags(c).contains("fast"))
                .map(c -> DynamicTest.dynamicTest(c.get("id").getAsString(), () -> check(c)));
    }

    /** Every case of the fixture manifest. */
    static List<JsonObject> allCases() throws IOException, URISyntaxException {
        return GoldenFixtures.load("conv").entries("cases");
    }

    /** Builds the case's layer, runs it and compares output and gradients with the fixture. */
    static void check(JsonObject c) throws Exception {
        check(c, GoldenFixtures.load("conv").arrays(c.get("id").getAsString()));
    }

    static List<String> tags(JsonObject c) {
        List<String> tags = new ArrayList<>();
        if (c.has("tags")) c.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
        return tags;
    }

    private static void check(JsonObject c, Map<String, INDArray> arrays) {
        String id = c.get("id").getAsString();
        try {
            compare(id, c, arrays);
        } catch (RuntimeException e) {
            throw new AssertionError(id + ": " + e.getMessage(), e);
        }
    }

    private static void compare(String id, JsonObject c, Map<String, INDArray> arrays) {
        ConvLayer layer = layerFor(c, arrays);
        assertArrayEquals(ints(c.get("kernel_shape")), toInts(layer.kernelShape()), id + ": kernel shape");
        assertArrayEquals(ints(c.get("out_size")), toInts(layer.outSize()), id + ": out size");
        if (arrays.containsKey("gain")) layer.parameters().get("gain").assign(arrays.get("gain"));

        SameDiff sd = SameDiff.create();
        INDArray input = arrays.get("x");
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, input.shape());
        SDVariable y = layer.apply(sd, x);
        SDVariable loss = y.mul(sd.constant("dy", arrays.get("dy"))).sum();
        loss.markAsLoss();
        List<String> wrt = new ArrayList<>(List.of("x"));
        layer.parameters().keySet().forEach(p -> wrt.add(layer.name() + "/" + p));
        sd.createGradFunction("x");
        Map<String, INDArray> feeds = Map.of("x", input);
        Map<String, INDArray> grads = sd.calculateGradients(feeds, wrt);
        INDArray output = sd.output(feeds, y.name()).get(y.name());

        double outputScale = arrays.get("y").amaxNumber().doubleValue();
        assertClose(id, "y", arrays.get("y"), output, outputScale);
        assertClose(id, "grad_x", arrays.get("grad_x"), grads.get("x"), outputScale);
        for (String p : layer.parameters().keySet()) {
            assertClose(id, "grad_" + p, arrays.get("grad_" + p), grads.get(layer.name() + "/" + p), outputScale);
        }
    }

    /** {@code max|actual - expected| <= TOLERANCE * max(max|expected|, outputScale)}. */
    static void assertClose(String id, String what, INDArray expected, INDArray actual, double outputScale) {
        assertTrue(expected != null && actual != null, id + ": " + what + " missing");
        assertArrayEquals(expected.shape(), actual.shape(), id + ": " + what + " shape");
        double scale = Math.max(expected.amaxNumber().doubleValue(), outputScale);
        double error = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(error <= TOLERANCE * scale,
                String.format("%s: %s max abs error %.3g exceeds %.0e of its scale %.3g", id, what, error, TOLERANCE, scale));
    }

    /** The layer the case's constructor arguments describe, with the case's weight, bias and mask. */
    static ConvLayer layerFor(JsonObject c, Map<String, INDArray> arrays) {
        int rank = c.get("rank").getAsInt();
        String family = c.get("family").getAsString();
        ConvLayer.Builder<?> b = switch (family + rank) {
            case "conv1" -> Conv1d.builder();
            case "conv2" -> Conv2d.builder();
            case "conv3" -> Conv3d.builder();
            case "scaled_ws1" -> ScaledWSConv1d.builder();
            case "scaled_ws2" -> ScaledWSConv2d.builder();
            case "scaled_ws3" -> ScaledWSConv3d.builder();
            case "transpose1" -> ConvTranspose1d.builder();
            case "transpose2" -> ConvTranspose2d.builder();
            case "transpose3" -> ConvTranspose3d.builder();
            default -> throw new IllegalStateException("unknown family/rank " + family + rank);
        };
        b.inSize(longs(c.get("in_size"))).outChannels(c.get("out_channels").getAsInt())
                .kernelSize(ints(c.get("kernel_size"))).stride(ints(c.get("stride")))
                .rhsDilation(ints(c.get("rhs_dilation"))).groups(c.get("groups").getAsInt())
                .channelFirst(c.get("channel_first").getAsBoolean())
                .padding(padding(c.get("padding")))
                .weight(arrays.get("weight"))
                .name("layer");
        if (c.has("lhs_dilation")) ((ConvLayer.ForwardBuilder<?>) b).lhsDilation(ints(c.get("lhs_dilation")));
        if (c.get("bias").getAsBoolean()) b.bias(arrays.get("bias"));
        if (arrays.containsKey("mask")) b.weightMask(arrays.get("mask"));
        if (b instanceof ScaledWSConv.Builder<?> ws) {
            ws.wsGain(c.get("ws_gain").getAsBoolean()).eps(c.get("eps").getAsDouble());
        }
        return b.build();
    }

    /** BrainState's padding argument, in the same form. */
    static Padding padding(JsonElement p) {
        if (p.isJsonPrimitive() && p.getAsJsonPrimitive().isString()) return Padding.of(p.getAsString());
        if (p.isJsonPrimitive()) return Padding.of(p.getAsInt());
        JsonArray a = p.getAsJsonArray();
        if (a.get(0).isJsonPrimitive()) return Padding.perAxis(ints(a));
        int[][] pairs = new int[a.size()][];
        for (int i = 0; i < a.size(); i++) pairs[i] = ints(a.get(i));
        return Padding.pairs(pairs);
    }

    /** An int or a list of ints, as written. */
    static int[] ints(JsonElement e) {
        if (e.isJsonPrimitive()) return new int[] {e.getAsInt()};
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }

    static long[] longs(JsonElement e) {
        int[] v = ints(e);
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.toIntExact(v[i]);
        return out;
    }

}
