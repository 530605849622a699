package org.brainstate4j.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainstate4j.models.SimpleCNN;
import org.brainstate4j.models.SimpleUNet;
import org.brainstate4j.nn.Inference;
import org.brainstate4j.nn.Module;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference cost of the folded export ({@link Inference#graph}: standardization and masks folded,
 * parameters constant) against running the training graph's forward pass, for the
 * weight-standardized tutorial networks, at batch 1 and a larger batch.
 *
 * <p>Run: {@code java -cp <test classpath> org.brainstate4j.bench.InferenceBenchmark [rounds steps]}
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {}

    private record Case(String name, Module model, long[] sample, int batch) {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Case> cases = List.of(
                new Case("WS SimpleCNN 28x28x1", SimpleCNN.builder().inSize(28, 28, 1).weightStandardized(true).seed(1).build(),
                        new long[] {28, 28, 1}, 1),
                new Case("WS SimpleCNN 28x28x1", SimpleCNN.builder().inSize(28, 28, 1).weightStandardized(true).seed(1).build(),
                        new long[] {28, 28, 1}, 256),
                new Case("WS SimpleUNet w16 64x64x3", SimpleUNet.builder().inSize(64, 64, 3).numClasses(11).width(16)
                        .weightStandardized(true).seed(1).build(), new long[] {64, 64, 3}, 1),
                new Case("WS SimpleUNet w16 64x64x3", SimpleUNet.builder().inSize(64, 64, 3).numClasses(11).width(16)
                        .weightStandardized(true).seed(1).build(), new long[] {64, 64, 3}, 16));
        System.out.printf(Locale.ROOT, "brainstate4j inference benchmark: %d interleaved rounds x %d forward passes%n", rounds, steps);
        System.out.printf(Locale.ROOT, "%-28s %6s %16s %16s %24s%n", "model", "batch", "training ms", "folded ms",
                "folded/training (median)");
        for (Case c : cases) {
            long[] shape = new long[c.sample().length + 1];
            shape[0] = c.batch();
            System.arraycopy(c.sample(), 0, shape, 1, c.sample().length);
            INDArray input = Nd4j.rand(DataType.FLOAT, shape);
            SameDiff training = SameDiff.create();
            SDVariable y = c.model().apply(training, training.placeHolder("x", DataType.FLOAT, shape));
            String out = y.name();
            SameDiff folded = Inference.graph(c.model(), DataType.FLOAT, c.sample());
            Map<String, double[]> t = new Interleaved()
                    .add("training", () -> training.output(Map.of("x", input), out))
                    .add("folded", () -> folded.output(Map.of(Inference.INPUT, input), Inference.OUTPUT))
                    .run(3, rounds, steps);
            double[] ratios = Interleaved.ratios(t.get("folded"), t.get("training"));
            System.out.printf(Locale.ROOT, "%-28s %6d %16.2f %16.2f %23.3fx%n", c.name(), c.batch(),
                    Interleaved.median(t.get("training")), Interleaved.median(t.get("folded")), Interleaved.median(ratios));
        }
    }
}
