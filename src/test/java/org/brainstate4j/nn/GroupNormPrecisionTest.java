package org.brainstate4j.nn;

import static org.brainstate4j.nn.GoldenParityTest.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
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

/**
 * GroupNorm's float32 precision and epsilon rule against the exact value of BrainState's formula:
 * every case of {@code src/test/resources/golden/groupnorm_precision} (written by
 * {@code tools/golden/generate_groupnorm_precision_fixtures.py}: BrainState 0.5.4's
 * {@code GroupNorm.update} evaluated by JAX in float64 on float32 inputs) — groups whose mean dwarfs
 * their spread (mean / std 25 to 1,300), one-element and constant groups, epsilon 0 and below, every
 * per-sample rank and both layouts. The output and the gradients of {@code sum(y * dy)} for the input,
 * scale and bias must be NaN exactly where the formula is, and elsewhere within {@value #TOLERANCE}
 * of {@code max(max|expected|, max|y|)}. BrainState's own float32 evaluation misses that bound on the
 * large-mean cases (its fast variance {@code E[x^2] - E[x]^2} cancels; the manifest records its error).
 */
public class GroupNormPrecisionTest {
    static final double TOLERANCE = 1e-4;

    /** Worst error / scale per quantity over all cases, and BrainState's float32 worst, printed after the run. */
    private static final Map<String, Double> WORST = new ConcurrentSkipListMap<>();
    private static final Map<String, Double> BRAINSTATE_WORST = new ConcurrentSkipListMap<>();

    @AfterAll
    static void printWorst() {
        System.out.println("GroupNormPrecisionTest worst max-abs-error / scale (limit " + TOLERANCE + "): " + WORST
                + "; BrainState's float32 on the same cases: " + BRAINSTATE_WORST);
    }

    @TestFactory
    Stream<DynamicTest> matchesTheExactFormula() throws IOException, URISyntaxException {
        return cases().map(c -> DynamicTest.dynamicTest(c.get("id").getAsString(), () -> check(c)));
    }

    /** The fixture set: its manifest's cases and their arrays. */
    static GoldenFixtures fixtures() throws IOException, URISyntaxException {
        return GoldenFixtures.load("groupnorm_precision");
    }

    /** The manifest's cases. */
    static Stream<JsonObject> cases() throws IOException, URISyntaxException {
        return fixtures().entries("cases").stream();
    }

    /** Builds the case's GroupNorm, runs it forward and backward in float32 and compares everything. */
    static void check(JsonObject c) throws Exception {
        String id = c.get("id").getAsString();
        Map<String, INDArray> a = fixtures().arrays(id);
        GroupNorm norm = GroupNorm.builder().inSize(longs(c.get("in_size"))).numGroups(c.get("num_groups").getAsInt())
                .epsilon(c.get("epsilon").getAsDouble()).channelFirst(c.get("channel_first").getAsBoolean())
                .scaleInit(Initializer.of(a.get("scale"))).biasInit(Initializer.of(a.get("bias"))).name("gn").build();
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", a.get("x").dup()); // a variable: its gradient is always returned
        SDVariable y = norm.apply(sd, x);
        y.mul(sd.constant("dy", a.get("dy"))).sum().markAsLoss();
        INDArray output = sd.output(Map.of(), y.name()).get(y.name());
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), List.of("x", "gn/scale", "gn/bias"));
        double outputScale = finiteMaxAbs(a.get("y"));
        JsonObject brainstate = c.getAsJsonObject("brainstate_f32_error");
        compare(id, "y", a.get("y"), output, outputScale, brainstate);
        compare(id, "grad_x", a.get("grad_x"), grads.get("x"), outputScale, brainstate);
        compare(id, "grad_scale", a.get("grad_scale"), grads.get("gn/scale"), outputScale, brainstate);
        compare(id, "grad_bias", a.get("grad_bias"), grads.get("gn/bias"), outputScale, brainstate);
    }

    private static void compare(String id, String what, INDArray expected, INDArray actual, double outputScale,
                                JsonObject brainstate) {
        assertTrue(actual != null, id + ": " + what + " missing");
        assertArrayEquals(expected.shape(), actual.shape(), id + ": " + what + " shape");
        double[] e = expected.castTo(DataType.DOUBLE).data().asDouble();
        double[] v = actual.castTo(DataType.DOUBLE).reshape(expected.shape()).dup('c').data().asDouble();
        double scale = Math.max(finiteMaxAbs(expected), outputScale);
        double error = 0;
        for (int i = 0; i < e.length; i++) {
            assertTrue(Double.isNaN(e[i]) == Double.isNaN(v[i]),
                    String.format("%s: %s[%d] is %s where BrainState's formula gives %s", id, what, i, v[i], e[i]));
            if (!Double.isNaN(e[i])) error = Math.max(error, Math.abs(e[i] - v[i]));
        }
        double ratio = scale > 0 ? error / scale : error;
        WORST.merge(what, ratio, Math::max);
        BRAINSTATE_WORST.merge(what, brainstate.get(what).getAsDouble(), Math::max);
        assertTrue(ratio <= TOLERANCE, String.format("%s: %s max abs error %.3g is %.2g of its scale %.3g (limit %.0e; "
                + "BrainState's float32 error here: %s)", id, what, error, ratio, scale, TOLERANCE, brainstate.get(what)));
    }

    private static double finiteMaxAbs(INDArray a) {
        double max = 0;
        for (double d : a.castTo(DataType.DOUBLE).data().asDouble()) if (!Double.isNaN(d)) max = Math.max(max, Math.abs(d));
        return max;
    }
}
