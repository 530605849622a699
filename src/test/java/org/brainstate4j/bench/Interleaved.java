package org.brainstate4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times several variants of one computation round by round (A B, B A, A B, ...), so the slow drifts
 * of a shared, noisy machine hit every variant alike, and reports per-variant medians and the
 * median of the per-round ratios against the first variant (the baseline).
 */
final class Interleaved {
    private final Map<String, Runnable> variants = new LinkedHashMap<>();

    Interleaved add(String name, Runnable step) {
        variants.put(name, step);
        return this;
    }

    /** Milliseconds per step, per variant, one entry per round (each round = {@code stepsPerRound} steps). */
    Map<String, double[]> run(int warmupSteps, int rounds, int stepsPerRound) {
        variants.values().forEach(step -> {
            for (int i = 0; i < warmupSteps; i++) step.run();
        });
        Map<String, double[]> times = new LinkedHashMap<>();
        variants.keySet().forEach(k -> times.put(k, new double[rounds]));
        List<Map.Entry<String, Runnable>> order = new ArrayList<>(variants.entrySet());
        for (int r = 0; r < rounds; r++) {
            // A B, then B A: whichever runs second in a round (warmer caches, or a busier machine) alternates
            List<Map.Entry<String, Runnable>> thisRound = new ArrayList<>(order);
            if (r % 2 == 1) java.util.Collections.reverse(thisRound);
            for (Map.Entry<String, Runnable> v : thisRound) {
                long start = System.nanoTime();
                for (int i = 0; i < stepsPerRound; i++) v.getValue().run();
                times.get(v.getKey())[r] = (System.nanoTime() - start) / 1e6 / stepsPerRound;
            }
        }
        return times;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Per-round ratios {@code variant / baseline}. */
    static double[] ratios(double[] variant, double[] baseline) {
        double[] out = new double[variant.length];
        for (int i = 0; i < out.length; i++) out[i] = variant[i] / baseline[i];
        return out;
    }

    static List<String> names(Map<String, double[]> times) {
        return new ArrayList<>(times.keySet());
    }
}
