package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central-difference gradient check of a scalar loss in a float64 graph, against SameDiff's
 * analytic gradients, for placeholders and trainable variables. (DL4J's own GradCheckUtil fails
 * with null gradient arrays on placeholders in 1.0.0-M2.1.)
 */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /**
     * Checks up to {@code perVariable} randomly chosen entries of each variable in {@code wrt}:
     * {@code |analytic - numeric| <= absTol + relTol * max(|analytic|, |numeric|)}.
     */
    public static void check(SameDiff sd, String loss, Map<String, INDArray> placeholders, List<String> wrt,
                      int perVariable, String what) {
        double eps = 1e-6;
        double relTol = 1e-5;
        double absTol = 1e-8;
        // Without naming them here, SameDiff builds no gradients for placeholders.
        sd.createGradFunction(placeholders.keySet().stream().filter(wrt::contains).toArray(String[]::new));
        Map<String, INDArray> analytic = sd.calculateGradients(placeholders, wrt);
        Random random = new Random(3);
        List<String> failures = new ArrayList<>();
        for (String name : wrt) {
            INDArray grad = analytic.get(name);
            assertTrue(grad != null, what + ": no gradient for " + name);
            Map<String, INDArray> feeds = new HashMap<>(placeholders);
            INDArray target = placeholders.containsKey(name) ? placeholders.get(name).dup() : sd.getVariable(name).getArr();
            if (placeholders.containsKey(name)) feeds.put(name, target);
            INDArray flat = target.reshape(target.length());
            INDArray gradFlat = grad.reshape(grad.length());
            int checks = (int) Math.min(perVariable, target.length());
            for (int c = 0; c < checks; c++) {
                long i = checks == target.length() ? c : (long) (random.nextDouble() * target.length());
                double original = flat.getDouble(i);
                flat.putScalar(i, original + eps);
                double plus = sd.output(feeds, loss).get(loss).getDouble(0);
                flat.putScalar(i, original - eps);
                double minus = sd.output(feeds, loss).get(loss).getDouble(0);
                flat.putScalar(i, original);
                double numeric = (plus - minus) / (2 * eps);
                double a = gradFlat.getDouble(i);
                if (Math.abs(a - numeric) > absTol + relTol * Math.max(Math.abs(a), Math.abs(numeric))) {
                    failures.add(String.format("%s[%d]: analytic %.10g, numeric %.10g", name, i, a, numeric));
                }
            }
        }
        assertTrue(failures.isEmpty(), what + ": " + failures.size() + " mismatches, e.g. "
                + failures.subList(0, Math.min(5, failures.size())));
    }
}
