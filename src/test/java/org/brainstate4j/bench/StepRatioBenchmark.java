package org.brainstate4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.brainstate4j.bench.PeerBenchmark.Workload;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weight-standardized network's training step against the plain one's, both in one JVM: a plain
 * and a WS + GroupNorm SimpleCNN (batch 64, 32x32x3) or SimpleUNet w16 (batch 16, 64x64x3) are trained
 * on the same random batch in alternating epochs of a few steps (A B, B A, ...), each step timed from
 * {@code iterationStart} to {@code iterationDone}; a round's figure is the median step of its epoch.
 * Prints both medians and the median of the per-round ratios WS / plain: the quantity of issue 18's
 * target, measured in steady state (after a warm-up epoch) and with the machine's slow phases hitting
 * both networks alike, which separate processes on this shared machine do not give.
 *
 * <p>Run: {@code java -cp <test classpath> -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2
 * org.brainstate4j.bench.StepRatioBenchmark cnn|unet16 [rounds [steps]]}
 */
public final class StepRatioBenchmark {
    private StepRatioBenchmark() {}

    public static void main(String[] args) {
        String workload = args.length > 0 ? args[0] : "cnn";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // the peer benchmark's workloads, plain and weight-standardized
        Workload[] pair = workload.startsWith("unet")
                ? new Workload[] {Workload.UNET16, Workload.UNET16_WS}
                : new Workload[] {Workload.CNN, Workload.CNN_WS};
        Nd4j.getRandom().setSeed(7);
        DataSet data = PeerBenchmark.batch(pair[0]);
        List<DataSet> epoch = new ArrayList<>();
        for (int i = 0; i < steps; i++) epoch.add(data);

        SameDiff[] graphs = {graph(pair[0]), graph(pair[1])};
        for (SameDiff sd : graphs) sd.fit(new ListDataSetIterator<>(epoch, 1), 1); // warm-up
        double[][] perRound = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            int[] order = r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0};
            for (int i : order) {
                PeerBenchmark.StepTimer timer = new PeerBenchmark.StepTimer(0);
                graphs[i].fit(new ListDataSetIterator<>(epoch, 1), 1, timer);
                perRound[i][r] = Interleaved.median(timer.millis());
            }
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) ratios[r] = perRound[1][r] / perRound[0][r];
        System.out.printf(Locale.ROOT, "%s, %s, %d rounds x %d steps: plain %.1f ms, WS + GroupNorm %.1f ms per step (medians); "
                        + "WS / plain per round %s, median %.2fx%n", workload, System.getProperty("org.bytedeco.javacpp.platform.extension"),
                rounds, steps, Interleaved.median(perRound[0]), Interleaved.median(perRound[1]),
                Arrays.toString(Arrays.stream(ratios).map(x -> Math.round(x * 100) / 100.0).toArray()), Interleaved.median(ratios));
    }

    /** The workload's network with the peer benchmark's loss and updater. */
    private static SameDiff graph(Workload w) {
        SameDiff sd = SameDiff.create();
        PeerBenchmark.addTraining(sd, w, PeerBenchmark.model(w).apply(sd, PeerBenchmark.input(sd, w)));
        return sd;
    }
}
