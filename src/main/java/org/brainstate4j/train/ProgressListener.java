package org.brainstate4j.train;

import java.util.List;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerResponse;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.records.LossCurve;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * SameDiff training listener: one progress bar per epoch (steps done/total, elapsed and ETA, smoothed
 * loss, samples/s) plus a record of the loss of every iteration and the mean loss, sample count and
 * wall time of every epoch. Use it as {@code Training.fit(sd, iterator, epochs, new ProgressListener(iterator, epochs))}.
 * Drawing needs {@code me.tongfei:progressbar} on the class path (an optional dependency of brainstate4j).
 * It feeds two halves: {@code EpochProgressBar} draws, {@code LossRecorder} records.
 *
 * <h2>Where the bar goes</h2>
 * The bar is written to {@link System#err} (looked up when each epoch starts), never to standard
 * output, so a program's stdout stays clean for results. How it is drawn depends on the {@link Mode}:
 * <ul>
 *   <li>{@link Mode#INTERACTIVE}: redrawn in place with carriage returns every 500 ms, at the
 *       terminal's width; each finished epoch stays on screen as one line.</li>
 *   <li>{@link Mode#LOG} (for CI logs and files): one plain newline-terminated ASCII line when an
 *       epoch ends, no carriage returns.</li>
 *   <li>{@link Mode#OFF}: nothing is written; losses and timings are still recorded.</li>
 *   <li>{@link Mode#AUTO} (default) picks one when the listener is built: the system property
 *       {@code brainstate4j.progress} ({@code interactive}, {@code log} or {@code off}) if set;
 *       otherwise {@code LOG} when the environment variable {@code CI} is set or {@code TERM=dumb};
 *       otherwise {@code INTERACTIVE} when {@link System#console()} is non-null (on Java 17: stdin and
 *       stdout are both terminals), else {@code LOG}. Java cannot ask whether stderr alone is a
 *       terminal, so {@code java ... 2> file} from a terminal still gets INTERACTIVE output: use the
 *       property or {@link Builder#mode} there.</li>
 * </ul>
 *
 * <h2>Steps per epoch</h2>
 * A SameDiff listener never sees the iterator, so the total is given to it: {@link Builder#stepsPerEpoch},
 * or counted by {@link #ProgressListener(DataSetIterator, int)} (one pass over the iterator, see there).
 * When it is not known, the first epoch's bar is indefinite (count, no percentage or ETA) and later epochs
 * use the number of steps the first one took.
 *
 * <h2>Loss values on SameDiff 1.0.0-M2.1</h2>
 * The listener records the losses SameDiff reports. Plain {@code sd.fit} on M2.1 reports 0 for every
 * one; train through {@link Training#fit} to get the real values (here and in SameDiff's {@code History}).
 *
 * <h2>What is recorded</h2>
 * The loss of an iteration is {@link Loss#totalLoss()} (all loss variables plus regularisation), as SameDiff
 * reports it to listeners; an epoch's mean loss is the mean of those, which equals the sum over loss
 * variables of the epoch's row of SameDiff's own {@code History.lossCurve()}. Epoch time is wall time from
 * {@code epochStart} to {@code epochEnd}; SameDiff's own figure for the epoch is kept alongside.
 * Calling {@code fit} again with the same listener appends to the record.
 *
 * <p>Not thread-safe; SameDiff calls listeners from its (synchronized) fit thread.
 */
public final class ProgressListener extends BaseListener {

    /** How the progress bar is written; see the class documentation. */
    public enum Mode { AUTO, INTERACTIVE, LOG, OFF }

    /**
     * What one epoch did.
     *
     * @param epoch          SameDiff's 0-based epoch counter ({@code At.epoch()}) for this epoch
     * @param iterations     number of training iterations (minibatches)
     * @param samples        number of examples seen (sum of the first feature array's batch dimension)
     * @param meanLoss       mean over the epoch's iterations of {@link Loss#totalLoss()}
     * @param seconds        wall time from epoch start to epoch end
     * @param sameDiffMillis SameDiff's own measure of the epoch's duration ({@code epochTimeMillis})
     */
    public record EpochStats(int epoch, int iterations, long samples, double meanLoss, double seconds,
                             long sameDiffMillis) {
        /** Throughput over the epoch, examples per second of wall time. */
        public double samplesPerSecond() {
            return seconds > 0 ? samples / seconds : Double.NaN;
        }
    }

    private final long stepsPerEpoch;
    private final LossRecorder record = new LossRecorder();
    private final EpochProgressBar bar; // null: Mode.OFF

    /** Defaults: {@link Mode#AUTO}, total steps learned from the first epoch, number of epochs not shown. */
    public ProgressListener() {
        this(builder());
    }

    /**
     * Shows "Epoch e/epochs" and counts the steps per epoch by iterating once over {@code iterator} and
     * resetting it, so the first epoch already has a percentage and an ETA. That pass does the iterator's
     * ETL work (loading, preprocessing) but no training: cheap for in-memory iterators such as
     * {@code ListDataSetIterator}; for expensive ones use {@link Builder#stepsPerEpoch} instead. If the
     * iterator cannot be reset nothing is counted and the steps are learned from the first epoch.
     *
     * @throws IllegalArgumentException if {@code iterator} is null
     */
    public ProgressListener(DataSetIterator iterator, int epochs) {
        this(builder().epochs(epochs).stepsPerEpoch(countBatches(iterator)));
    }

    private ProgressListener(Builder b) {
        Mode mode = b.mode == Mode.AUTO ? EpochProgressBar.detectMode() : b.mode;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.bar = mode == Mode.OFF ? null : new EpochProgressBar(mode == Mode.INTERACTIVE, b.epochs);
    }

    /** A builder with the defaults of {@link #ProgressListener()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Number of minibatches {@code iterator} yields in one pass, counted by iterating and then resetting
     * it; -1 when it does not support reset (counting would consume the data).
     */
    static long countBatches(DataSetIterator iterator) {
        if (iterator == null) {
            throw new IllegalArgumentException("iterator must not be null");
        }
        if (!iterator.resetSupported()) {
            return -1;
        }
        iterator.reset();
        long n = 0;
        while (iterator.hasNext()) {
            iterator.next();
            n++;
        }
        iterator.reset();
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // recorded results

    /** {@link Loss#totalLoss()} of every training iteration seen so far, in order. */
    public double[] iterationLosses() {
        return record.iterationLosses();
    }

    /**
     * Bias-corrected exponential moving average of {@link #iterationLosses()} (the value the bar shows),
     * restarted at each epoch; the weight of the past is 0.9.
     */
    public double[] smoothedIterationLosses() {
        return record.smoothedIterationLosses();
    }

    /** Per-epoch statistics of every completed epoch, in order. */
    public List<EpochStats> epochs() {
        return record.epochs();
    }

    /** Mean loss of every completed epoch. */
    public double[] epochMeanLosses() {
        return record.epochs().stream().mapToDouble(EpochStats::meanLoss).toArray();
    }

    /** Steps the next epoch's bar expects: the configured number, else the first epoch's, else -1. */
    long expectedSteps() {
        return stepsPerEpoch > 0 ? stepsPerEpoch : record.firstEpochIterations();
    }

    // ---------------------------------------------------------------------------------------------
    // Listener

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void epochStart(SameDiff sd, At at) {
        if (bar != null) bar.close();
        record.startEpoch();
        if (bar != null) bar.start(at.epoch(), expectedSteps());
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
        double smoothed = record.add(loss.totalLoss(), batchSize(dataSet));
        if (bar != null) bar.step(smoothed, record.epochSamplesPerSecond());
    }

    @Override
    public ListenerResponse epochEnd(SameDiff sd, At at, LossCurve lossCurve, long epochTimeMillis) {
        EpochStats st = record.endEpoch(at.epoch(), epochTimeMillis);
        if (bar != null) bar.finish(st, record.lastSmoothed());
        return ListenerResponse.CONTINUE;
    }

    @Override
    public void operationEnd(SameDiff sd, Operation op) {
        if (op == Operation.TRAINING && bar != null) {
            bar.close(); // early stop or anything else that ends training between epochStart and epochEnd
        }
    }

    private static long batchSize(MultiDataSet ds) {
        if (ds == null || ds.numFeatureArrays() == 0) return 0;
        INDArray f = ds.getFeatures(0);
        return f == null || f.rank() == 0 ? 0 : f.size(0);
    }

    // ---------------------------------------------------------------------------------------------

    /** Options for {@link ProgressListener}: how to draw, and what the bar can know in advance. */
    public static final class Builder {
        private Mode mode = Mode.AUTO;
        private int epochs = -1;
        private long stepsPerEpoch = -1;

        private Builder() {}

        /** How to draw; default {@link Mode#AUTO}. */
        public Builder mode(Mode mode) {
            if (mode == null) throw new IllegalArgumentException("mode must not be null");
            this.mode = mode;
            return this;
        }

        /** Number of epochs of the fit, shown as "Epoch e/epochs"; unknown (≤ 0) by default. */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Minibatches per epoch; ≤ 0 (default) means unknown: learned from the first epoch. */
        public Builder stepsPerEpoch(long steps) {
            this.stepsPerEpoch = steps;
            return this;
        }

        /** The listener; with {@link Mode#AUTO} the mode is chosen here (see the class documentation). */
        public ProgressListener build() {
            return new ProgressListener(this);
        }
    }
}
