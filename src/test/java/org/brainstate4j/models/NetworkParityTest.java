package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.brainstate4j.GoldenFixtures;
import org.brainstate4j.nn.Module;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whole-network parity with BrainState/JAX, parameters exchanged through {@code .npz}: for every
 * network of {@code src/test/resources/golden/networks} (written by
 * {@code tools/golden/generate_network_fixtures.py}), the Java model is built with the manifest's
 * builder settings, {@code <name>.params.npz} (parameters keyed by their path in
 * {@link Module#parameters()}, written by JAX) is loaded into it, and on the batch of
 * {@code <name>.io.npz} its output, the loss {@code mean(y^2)}, the loss's gradient with respect to
 * the input and (where the file has them, {@code grad/<path>}) with respect to every parameter must
 * match JAX's with the golden tests' rule: max abs error {@code <= 1e-4 * max(reference scale,
 * output scale)} in float32. The output scale is {@code max|y|} for {@code y}, and for gradients the
 * largest magnitude among the network's reference gradients (a gradient that nearly cancels, such
 * as a gain just before a one-channel-per-group GroupNorm, is judged on that scale).
 */
class NetworkParityTest {
    static final double TOLERANCE = 1e-4;

    @TestFactory
    Stream<DynamicTest> matchesJaxReference() throws IOException, URISyntaxException {
        GoldenFixtures fixtures = GoldenFixtures.load("networks");
        return fixtures.entries("networks").stream()
                .map(n -> DynamicTest.dynamicTest(n.get("name").getAsString(), () -> check(fixtures, n)));
    }

    /** The model the manifest's builder settings describe (random initial values, replaced on loading). */
    static Module build(JsonObject network) {
        JsonObject b = network.getAsJsonObject("builder");
        long[] inSize = longs(b.getAsJsonArray("inSize"));
        boolean ws = b.has("weightStandardized") && b.get("weightStandardized").getAsBoolean();
        switch (network.get("model").getAsString()) {
            case "SimpleCNN":
                return SimpleCNN.builder().inSize(inSize).numClasses(b.get("numClasses").getAsInt())
                        .weightStandardized(ws).seed(1).build();
            case "ConvAutoencoder":
                return ConvAutoencoder.builder().inSize(inSize).latentDim(b.get("latentDim").getAsInt()).seed(1).build();
            case "SimpleUNet":
                return SimpleUNet.builder().inSize(inSize).numClasses(b.get("numClasses").getAsInt())
                        .width(b.get("width").getAsInt()).weightStandardized(ws).seed(1).build();
            default:
                throw new IllegalStateException("unknown model " + network.get("model"));
        }
    }

    /** The JAX-written .npz into the model, through the project's parameter exchange (names and shapes checked). */
    static void loadParameters(Module model, Path npz) throws Exception {
        org.brainstate4j.io.ParameterExchange.load(model, npz);
    }

    private static void check(GoldenFixtures fixtures, JsonObject network) throws Exception {
        String name = network.get("name").getAsString();
        Module model = build(network);
        loadParameters(model, fixtures.dir().resolve(name + ".params.npz"));
        Map<String, INDArray> io = fixtures.arrays(name + ".io");

        SameDiff sd = SameDiff.create();
        INDArray input = io.get("x");
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, input.shape());
        SDVariable y = model.apply(sd, x);
        SDVariable loss = y.mul(y).mean();
        loss.markAsLoss();
        Map<String, INDArray> feeds = Map.of("x", input);
        Map<String, INDArray> out = sd.output(feeds, y.name(), loss.name());
        double outputScale = io.get("y").amaxNumber().doubleValue();
        assertClose(name, "y", io.get("y"), out.get(y.name()), outputScale);
        double expectedLoss = io.get("loss").getDouble(0);
        double actualLoss = out.get(loss.name()).getDouble(0);
        assertTrue(Math.abs(actualLoss - expectedLoss) <= TOLERANCE * Math.abs(expectedLoss),
                String.format("%s: loss %.7g, JAX %.7g", name, actualLoss, expectedLoss));

        List<String> wrt = new ArrayList<>(List.of("x"));
        List<String> withGradients = new ArrayList<>();
        for (String path : model.parameters().keySet()) {
            if (io.containsKey("grad/" + path)) {
                withGradients.add(path);
                wrt.add(model.name() + "/" + path);
            }
        }
        assertTrue(withGradients.isEmpty() || withGradients.size() == model.parameters().size(),
                name + ": the io file has gradients for some parameters only: " + withGradients);
        double gradientScale = io.entrySet().stream().filter(e -> e.getKey().startsWith("grad"))
                .mapToDouble(e -> e.getValue().amaxNumber().doubleValue()).max().orElseThrow();
        sd.createGradFunction("x");
        Map<String, INDArray> grads = sd.calculateGradients(feeds, wrt);
        assertClose(name, "grad_x", io.get("grad_x"), grads.get("x"), gradientScale);
        for (String path : withGradients) {
            assertClose(name, "grad/" + path, io.get("grad/" + path), grads.get(model.name() + "/" + path), gradientScale);
        }
        System.out.printf("NetworkParityTest %s: worst error / scale %.2e (error / own max|expected| %.2e) over y and %d gradients%n",
                name, WORST.get(), WORST_OWN.get(), wrt.size());
        WORST.set(0.0);
        WORST_OWN.set(0.0);
    }

    private static final ThreadLocal<Double> WORST = ThreadLocal.withInitial(() -> 0.0);
    private static final ThreadLocal<Double> WORST_OWN = ThreadLocal.withInitial(() -> 0.0);

    /** {@code max|actual - expected| <= TOLERANCE * max(max|expected|, outputScale)}, as in the golden layer tests. */
    static void assertClose(String id, String what, INDArray expected, INDArray actual, double outputScale) {
        assertTrue(expected != null && actual != null, id + ": " + what + " missing");
        assertArrayEquals(expected.shape(), actual.shape(), id + ": " + what + " shape");
        double scale = Math.max(expected.amaxNumber().doubleValue(), outputScale);
        double error = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        WORST.set(Math.max(WORST.get(), error / scale));
        WORST_OWN.set(Math.max(WORST_OWN.get(), error / expected.amaxNumber().doubleValue()));
        assertTrue(error <= TOLERANCE * scale,
                String.format("%s: %s max abs error %.3g exceeds %.0e of its scale %.3g", id, what, error, TOLERANCE, scale));
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
        return out;
    }
}
