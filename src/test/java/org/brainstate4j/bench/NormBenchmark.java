package org.brainstate4j.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.brainstate4j.nn.GroupNorm;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward + backward cost of brainstate4j's GroupNorm and weight standardization against the
 * textbook formulation written with SameDiff ops (mean, mean of squares, {@code (x - mean) *
 * rsqrt(var + eps)}, {@code * scale + bias}; for the kernel {@code (w - mean) * rsqrt(max(var *
 * fanIn, eps)) * gain}), the formulation brainstate4j used before issue 7. Same math, same
 * inputs; each step is {@code calculateGradients} of {@code sum(y * dy)} with respect to the input
 * and every parameter. Sizes are those of the tutorial networks' first blocks.
 *
 * <p>Run: {@code java -cp <test classpath> org.brainstate4j.bench.NormBenchmark [rounds steps]}
 */
public final class NormBenchmark {
    private NormBenchmark() {}

    private record Step(SameDiff sd, List<String> wrt) {
        void run() { sd.calculateGradients(Map.of(), wrt); }
    }

    private static Step step(long[] shape, List<String> params, BiFunction<SameDiff, SDVariable, SDVariable> body) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.FLOAT, shape).muli(4).subi(1));
        SDVariable y = body.apply(sd, x);
        y.mul(sd.constant("dy", Nd4j.rand(DataType.FLOAT, shape).subi(0.5))).sum().markAsLoss();
        List<String> wrt = new java.util.ArrayList<>(params);
        wrt.add("x");
        return new Step(sd, wrt);
    }

    /** The textbook GroupNorm on channels-last {@code (N, H, W, C)} input. */
    static SDVariable textbookGroupNorm(SameDiff sd, SDVariable x, long[] shape, int groups) {
        long c = shape[3];
        SDVariable xg = sd.reshape(x, -1, shape[1], shape[2], groups, c / groups);
        SDVariable mean = xg.mean(true, 1, 2, 4);
        SDVariable variance = sd.math().max(xg.mul(xg).mean(true, 1, 2, 4).sub(mean.mul(mean)),
                sd.constant(Nd4j.scalar(DataType.FLOAT, 0.0)));
        SDVariable y = sd.reshape(xg.sub(mean).mul(sd.math().rsqrt(variance.add(1e-6))), -1, shape[1], shape[2], c);
        SDVariable scale = sd.var("scale", Nd4j.ones(DataType.FLOAT, c));
        SDVariable bias = sd.var("bias", Nd4j.zeros(DataType.FLOAT, c));
        return y.mul(sd.reshape(scale, 1, 1, 1, c)).add(sd.reshape(bias, 1, 1, 1, c));
    }

    /** The textbook weight standardization of a YXIO kernel held in {@code x}. */
    static SDVariable textbookStandardization(SameDiff sd, SDVariable w, long[] shape) {
        long fanIn = shape[0] * shape[1] * shape[2];
        SDVariable gain = sd.var("gain", Nd4j.ones(DataType.FLOAT, 1, 1, 1, shape[3]));
        SDVariable centered = w.sub(w.mean(true, 0, 1, 2));
        SDVariable variance = centered.mul(centered).mean(true, 0, 1, 2);
        SDVariable scale = sd.math().rsqrt(sd.math().max(variance.mul(fanIn), sd.constant(Nd4j.scalar(DataType.FLOAT, 1e-4))));
        return centered.mul(scale.mul(gain));
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf(Locale.ROOT, "brainstate4j norm benchmark: forward+backward, %d interleaved rounds x %d steps%n",
                rounds, steps);
        System.out.printf(Locale.ROOT, "%-44s %14s %16s %16s%n", "case", "textbook ms", "brainstate4j ms",
                "ratio (median)");
        record Case(String name, Step textbook, Step ours) {}
        List<Case> cases = new java.util.ArrayList<>();
        for (long[] shape : new long[][] {{64, 32, 32, 32}, {16, 64, 64, 16}, {16, 8, 8, 128}}) {
            GroupNorm norm = GroupNorm.builder().inSize(shape[1], shape[2], shape[3]).numGroups(8).name("gn").build();
            cases.add(new Case(String.format(Locale.ROOT, "GroupNorm %dx%dx%dx%d, 8 groups", shape[0], shape[1], shape[2], shape[3]),
                    step(shape, List.of("scale", "bias"), (sd, x) -> textbookGroupNorm(sd, x, shape, 8)),
                    step(shape, List.of("gn/scale", "gn/bias"), (sd, x) -> norm.apply(sd, x))));
        }
        long[] kernel = {3, 3, 64, 128};
        cases.add(new Case("weight standardization 3x3x64x128",
                step(kernel, List.of("gain"), (sd, w) -> textbookStandardization(sd, w, kernel)),
                step(kernel, List.of("gain"), (sd, w) -> org.brainstate4j.nn.WeightStandardization.apply(sd, w, kernel, 1e-4,
                        sd.var("gain", Nd4j.ones(DataType.FLOAT, 1, 1, 1, 128))))));
        for (Case c : cases) {
            Map<String, double[]> t = new Interleaved().add("textbook", c.textbook()::run).add("ours", c.ours()::run)
                    .run(3, rounds, steps);
            double[] ratios = Interleaved.ratios(t.get("ours"), t.get("textbook"));
            System.out.printf(Locale.ROOT, "%-44s %14.2f %16.2f %15.3fx%n", c.name(), Interleaved.median(t.get("textbook")),
                    Interleaved.median(t.get("ours")), Interleaved.median(ratios));
        }
    }
}
