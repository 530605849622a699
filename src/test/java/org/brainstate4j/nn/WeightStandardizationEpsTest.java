package org.brainstate4j.nn;

import static org.brainstate4j.nn.GoldenParityTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.brainstate4j.io.Npz;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * {@code ScaledWSConv*} accepts every eps BrainState accepts and computes what BrainState computes:
 * each case of {@code golden/ws_eps} (written by {@code tools/golden/generate_ws_eps_fixtures.py}
 * with JAX, following BrainState 0.5.4's {@code weight_standardization}) gives the kernel the layer
 * convolves (with NaN exactly where JAX has NaN: a constant channel without a floor, a NaN eps) and,
 * where finite, the gradients of {@code sum(w_hat * dw)} for {@code weight} and {@code gain}.
 */
class WeightStandardizationEpsTest {
    private static final String[] CASES = {"eps_zero", "eps_negative", "eps_zero_constant_channel",
            "eps_negative_constant_channel", "eps_large_floor", "eps_infinite", "eps_nan"};

    @TestFactory
    Stream<DynamicTest> matchesJaxAtEveryEps() {
        return Arrays.stream(CASES).map(id -> DynamicTest.dynamicTest(id, () -> check(id)));
    }

    private static void check(String id) throws Exception {
        Path file = Path.of(WeightStandardizationEpsTest.class.getResource("/golden/ws_eps/" + id + ".npz").toURI());
        Map<String, INDArray> a = Npz.read(file);
        INDArray weight = a.get("weight");
        long[] shape = weight.shape();
        int n = shape.length - 2;
        double eps = a.get("eps").getDouble(0);
        int[] kernel = new int[n];
        long[] inSize = new long[n + 1];
        for (int i = 0; i < n; i++) inSize[i] = kernel[i] = (int) shape[i];
        inSize[n] = shape[n];
        ScaledWSConv.Builder<?> b = n == 1 ? ScaledWSConv1d.builder() : n == 2 ? ScaledWSConv2d.builder() : ScaledWSConv3d.builder();
        ScaledWSConv layer = b.inSize(inSize).outChannels((int) shape[n + 1]).kernelSize(kernel).weight(weight)
                .wsGain(a.containsKey("gain")).eps(eps).build();
        assertEquals(eps, layer.eps(), 0.0);
        if (a.containsKey("gain")) layer.gain().orElseThrow().assign(a.get("gain"));

        SameDiff sd = SameDiff.create();
        SDVariable wHat = layer.kernel(sd);
        sd.sum(wHat.mul(sd.constant(a.get("dw")))).markAsLoss();
        INDArray actual = wHat.eval();
        INDArray expected = a.get("w_hat");
        INDArray expectedNaN = expected.isNaN();
        assertEquals(expectedNaN, actual.isNaN(), id + ": NaN exactly where BrainState has NaN");
        long nanCount = expectedNaN.castTo(DataType.INT32).sumNumber().longValue();
        System.out.printf("%s: eps %s, %d of %d kernel entries NaN in both%n", id, eps, nanCount, expected.length());
        // Compare the finite entries (NaN replaced by 0 on both sides, their positions already agree).
        assertClose(id, "w_hat", withoutNaN(expected), withoutNaN(actual), 1e-6);
        if (a.containsKey("grad_weight")) {
            Map<String, INDArray> grads = sd.calculateGradients(Map.of(), a.containsKey("gain")
                    ? new String[] {"weight", "gain"} : new String[] {"weight"});
            assertArrayEquals(shape, grads.get("weight").shape());
            assertClose(id, "grad_weight", a.get("grad_weight"), grads.get("weight"), a.get("grad_weight").amaxNumber().doubleValue());
            if (a.containsKey("gain")) {
                assertClose(id, "grad_gain", a.get("grad_gain"), grads.get("gain"), a.get("grad_gain").amaxNumber().doubleValue());
            }
        }
    }

    private static INDArray withoutNaN(INDArray x) {
        INDArray copy = x.dup();
        Nd4j.getExecutioner().exec(new CompareAndSet(copy, 0.0, Conditions.isNan()));
        return copy;
    }
}
