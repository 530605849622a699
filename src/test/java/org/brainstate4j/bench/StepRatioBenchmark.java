package org.brainstate4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.brainstate4j.models.SimpleCNN;
import org.brainstate4j.models.SimpleUNet;
import org.brainstate4j.nn.Module;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

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
        boolean unet = workload.startsWith("unet");
        long[] sample = unet ? new long[] {64, 64, 3} : new long[] {32, 32, 3};
        int batch = unet ? 16 : 64;
        int classes = unet ? 6 : 10;
        DataSet data = randomBatch(sample, batch, classes, unet);
        List<DataSet> epoch = new ArrayList<>();
        for (int i = 0; i < steps; i++) epoch.add(data);

        SameDiff[] graphs = {graph(unet, false, sample, classes), graph(unet, true, sample, classes)};
        for (SameDiff sd : graphs) sd.fit(new ListDataSetIterator<>(epoch, 1), 1); // warm-up
        double[][] perRound = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            int[] order = r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0};
            for (int i : order) {
                StepTimer timer = new StepTimer();
                graphs[i].fit(new ListDataSetIterator<>(epoch, 1), 1, timer);
                perRound[i][r] = median(timer.millis.stream().mapToDouble(Double::doubleValue).toArray());
            }
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) ratios[r] = perRound[1][r] / perRound[0][r];
        System.out.printf(Locale.ROOT, "%s, %s, %d rounds x %d steps: plain %.1f ms, WS + GroupNorm %.1f ms per step (medians); "
                        + "WS / plain per round %s, median %.2fx%n", workload, System.getProperty("org.bytedeco.javacpp.platform.extension"),
                rounds, steps, median(perRound[0]), median(perRound[1]),
                Arrays.toString(Arrays.stream(ratios).map(x -> Math.round(x * 100) / 100.0).toArray()), median(ratios));
    }

    private static SameDiff graph(boolean unet, boolean weightStandardized, long[] sample, int classes) {
        Module net = unet
                ? SimpleUNet.builder().inSize(sample).numClasses(classes).width(16).weightStandardized(weightStandardized).seed(1).build()
                : SimpleCNN.builder().inSize(sample).numClasses(classes).weightStandardized(weightStandardized).seed(1).build();
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, sample[0], sample[1], sample[2]);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT,
                unet ? new long[] {-1, sample[0], sample[1], classes} : new long[] {-1, classes});
        sd.loss().softmaxCrossEntropy("loss", label, net.apply(sd, x), null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("x").dataSetLabelMapping("label").build());
        return sd;
    }

    private static DataSet randomBatch(long[] sample, int batch, int classes, boolean perPixel) {
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, sample[0], sample[1], sample[2]);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, perPixel ? new long[] {batch, sample[0], sample[1], classes} : new long[] {batch, classes});
        INDArray rows = labels.reshape(labels.length() / classes, classes);
        Random random = new Random(3);
        for (long r = 0; r < rows.rows(); r++) rows.putScalar(r, random.nextInt(classes), 1.0);
        return new DataSet(features, labels);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Wall time of each training iteration. */
    private static final class StepTimer extends BaseListener {
        private final List<Double> millis = new ArrayList<>();
        private long start;

        @Override
        public boolean isActive(Operation operation) { return operation == Operation.TRAINING; }

        @Override
        public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) { start = System.nanoTime(); }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) { millis.add((System.nanoTime() - start) / 1e6); }
    }
}
