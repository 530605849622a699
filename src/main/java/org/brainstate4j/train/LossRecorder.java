package org.brainstate4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.brainstate4j.train.ProgressListener.EpochStats;

/**
 * The record half of {@link ProgressListener}: the loss of every iteration, its moving average (the
 * value the bar shows), and each epoch's iterations, samples, mean loss and wall time. It draws
 * nothing; {@link EpochProgressBar} does that from the values this returns.
 */
final class LossRecorder {
    /** Weight of the past in the loss's exponential moving average. */
    static final double SMOOTHING = 0.9;

    private double[] losses = new double[256];
    private double[] smoothed = new double[256];
    private int count;
    private final List<EpochStats> epochStats = new ArrayList<>();

    // the epoch in progress
    private long epochStartNanos;
    private int epochIterations;
    private long epochSamples;
    private double epochLossSum;
    private double ema;
    private int emaSteps;

    void startEpoch() {
        epochStartNanos = System.nanoTime();
        epochIterations = 0;
        epochSamples = 0;
        epochLossSum = 0;
        ema = 0;
        emaSteps = 0;
    }

    /**
     * Records one iteration's loss over {@code samples} examples and returns the bias-corrected moving
     * average of the epoch's losses so far (restarted at each epoch).
     */
    double add(double loss, long samples) {
        emaSteps++;
        ema = SMOOTHING * ema + (1 - SMOOTHING) * loss;
        double s = ema / (1 - Math.pow(SMOOTHING, emaSteps));
        if (count == losses.length) {
            losses = Arrays.copyOf(losses, 2 * count);
            smoothed = Arrays.copyOf(smoothed, 2 * count);
        }
        losses[count] = loss;
        smoothed[count] = s;
        count++;
        epochIterations++;
        epochLossSum += loss;
        epochSamples += samples;
        return s;
    }

    /** Examples per second of the epoch in progress so far. */
    double epochSamplesPerSecond() {
        return epochSamples / elapsedSeconds();
    }

    /** Ends the epoch in progress; {@code epoch} and {@code sameDiffMillis} are SameDiff's. */
    EpochStats endEpoch(int epoch, long sameDiffMillis) {
        double seconds = elapsedSeconds();
        double mean = epochIterations > 0 ? epochLossSum / epochIterations : Double.NaN;
        EpochStats st = new EpochStats(epoch, epochIterations, epochSamples, mean, seconds, sameDiffMillis);
        epochStats.add(st);
        return st;
    }

    /** The moving average after the epoch's last iteration; NaN when it had none. */
    double lastSmoothed() {
        return emaSteps > 0 ? smoothed[count - 1] : Double.NaN;
    }

    /** Iterations of the first epoch that had any, or -1 before there is one. */
    long firstEpochIterations() {
        return epochStats.stream().filter(st -> st.iterations() > 0).mapToLong(EpochStats::iterations)
                .findFirst().orElse(-1);
    }

    double[] iterationLosses() {
        return Arrays.copyOf(losses, count);
    }

    double[] smoothedIterationLosses() {
        return Arrays.copyOf(smoothed, count);
    }

    List<EpochStats> epochs() {
        return Collections.unmodifiableList(new ArrayList<>(epochStats));
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - epochStartNanos) / 1e9;
    }
}
