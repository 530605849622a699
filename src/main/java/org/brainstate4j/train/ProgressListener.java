package org.brainstate4j.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

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

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * SameDiff training listener: one progress bar per epoch (steps done/total, elapsed and ETA, smoothed
 * loss, samples/s) plus a record of the loss of every iteration and the mean loss, sample count and
 * wall time of every epoch. Use it as {@code Training.fit(sd, iterator, epochs, new ProgressListener(iterator, epochs))}.
 * Drawing needs {@code me.tongfei:progressbar} on the class path (an optional dependency of brainstate4j).
 *
 * <h2>Where the bar goes</h2>
 * The bar is written to {@link System#err} (or the stream given to {@link Builder#out}), never to
 * standard output, so a program's stdout stays clean for results. How it is drawn depends on the
 * {@link Mode}:
 * <ul>
 *   <li>{@link Mode#INTERACTIVE}: progressbar's {@link ConsoleProgressBarConsumer}, redrawn in place
 *       with carriage returns every {@link Builder#updateIntervalMillis} ms; each finished epoch stays on
 *       screen as one line.</li>
 *   <li>{@link Mode#LOG} (for CI logs and files): plain newline-terminated ASCII lines, no carriage
 *       returns: one line when an epoch ends and, if {@link Builder#logEveryPercent} is below 100, one
 *       line each time the epoch passes another multiple of that percentage (checked at the
 *       update interval, so at most {@code 100 / logEveryPercent} lines per epoch).</li>
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

    /** System property that overrides {@link Mode#AUTO}: {@code interactive}, {@code log} or {@code off}. */
    public static final String MODE_PROPERTY = "brainstate4j.progress";

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

    private final Mode mode;
    private final PrintStream out; // null: System.err at the time the bar starts
    private final int epochs;
    private final long stepsPerEpoch;
    private final double smoothing;
    private final int logEveryPercent;
    private final int updateIntervalMillis;
    private final int width;

    // record
    private double[] losses = new double[256];
    private double[] smoothed = new double[256];
    private int count;
    private final List<EpochStats> epochStats = new ArrayList<>();

    // current epoch
    private ProgressBar bar;
    private Closing consumer;
    private long epochStartNanos;
    private int epochIterations;
    private long epochSamples;
    private double epochLossSum;
    private double ema;
    private int emaSteps;
    private long learnedSteps = -1;

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
     */
    public ProgressListener(DataSetIterator iterator, int epochs) {
        this(builder().epochs(epochs).stepsPerEpoch(countBatches(iterator)));
    }

    private ProgressListener(Builder b) {
        this.mode = b.mode == Mode.AUTO ? detectMode() : b.mode;
        this.out = b.out;
        this.epochs = b.epochs;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.smoothing = b.smoothing;
        this.logEveryPercent = b.logEveryPercent;
        this.updateIntervalMillis = b.updateIntervalMillis;
        this.width = b.width;
    }

    /** A builder with the defaults of {@link #ProgressListener()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Number of minibatches {@code iterator} yields in one pass, counted by iterating and then resetting
     * it; -1 when it does not support reset (counting would consume the data).
     */
    public static long countBatches(DataSetIterator iterator) {
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

    /** The mode {@link Mode#AUTO} resolves to in this process; see the class documentation. */
    public static Mode detectMode() {
        String p = System.getProperty(MODE_PROPERTY);
        if (p != null && !p.isBlank()) {
            switch (p.trim().toLowerCase(Locale.ROOT)) {
                case "interactive": return Mode.INTERACTIVE;
                case "log": return Mode.LOG;
                case "off": return Mode.OFF;
                default: throw new IllegalArgumentException("system property " + MODE_PROPERTY
                        + " must be interactive, log or off, got '" + p + "'");
            }
        }
        if (System.getenv("CI") != null || "dumb".equals(System.getenv("TERM"))) {
            return Mode.LOG;
        }
        return System.console() != null ? Mode.INTERACTIVE : Mode.LOG;
    }

    /** The mode in use (never {@link Mode#AUTO}). */
    public Mode mode() {
        return mode;
    }

    // ---------------------------------------------------------------------------------------------
    // recorded results

    /** {@link Loss#totalLoss()} of every training iteration seen so far, in order. */
    public double[] iterationLosses() {
        return Arrays.copyOf(losses, count);
    }

    /**
     * Bias-corrected exponential moving average of {@link #iterationLosses()} (the value the bar shows),
     * restarted at each epoch; {@code smoothing} is the weight of the past (see {@link Builder#smoothing}).
     */
    public double[] smoothedIterationLosses() {
        return Arrays.copyOf(smoothed, count);
    }

    /** Per-epoch statistics of every completed epoch, in order. */
    public List<EpochStats> epochs() {
        return Collections.unmodifiableList(new ArrayList<>(epochStats));
    }

    /** Mean loss of every completed epoch. */
    public double[] epochMeanLosses() {
        return epochStats.stream().mapToDouble(EpochStats::meanLoss).toArray();
    }

    /** Wall time in seconds of every completed epoch. */
    public double[] epochSeconds() {
        return epochStats.stream().mapToDouble(EpochStats::seconds).toArray();
    }

    /** Steps the next epoch's bar expects: the configured number, else the first epoch's, else -1. */
    long expectedSteps() {
        return stepsPerEpoch > 0 ? stepsPerEpoch : learnedSteps;
    }

    // ---------------------------------------------------------------------------------------------
    // Listener

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void epochStart(SameDiff sd, At at) {
        closeBar();
        epochStartNanos = System.nanoTime();
        epochIterations = 0;
        epochSamples = 0;
        epochLossSum = 0;
        ema = 0;
        emaSteps = 0;
        if (mode != Mode.OFF) {
            bar = newBar(taskName(at.epoch()), stepsPerEpoch > 0 ? stepsPerEpoch : learnedSteps);
        }
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
        double l = loss.totalLoss();
        emaSteps++;
        ema = smoothing * ema + (1 - smoothing) * l;
        double s = ema / (1 - Math.pow(smoothing, emaSteps));
        if (count == losses.length) {
            losses = Arrays.copyOf(losses, 2 * count);
            smoothed = Arrays.copyOf(smoothed, 2 * count);
        }
        losses[count] = l;
        smoothed[count] = s;
        count++;

        epochIterations++;
        epochLossSum += l;
        epochSamples += batchSize(dataSet);
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %s, %s samples/s", fmtLoss(s),
                    fmtRate(epochSamples / elapsedSeconds())));
            bar.step();
        }
    }

    @Override
    public ListenerResponse epochEnd(SameDiff sd, At at, LossCurve lossCurve, long epochTimeMillis) {
        double seconds = elapsedSeconds();
        double mean = epochIterations > 0 ? epochLossSum / epochIterations : Double.NaN;
        EpochStats st = new EpochStats(at.epoch(), epochIterations, epochSamples, mean, seconds, epochTimeMillis);
        epochStats.add(st);
        if (learnedSteps < 0 && epochIterations > 0) {
            learnedSteps = epochIterations;
        }
        if (bar != null) {
            if (bar.isIndefinite() && epochIterations > 0) {
                bar.maxHint(epochIterations); // the final line of an epoch of unknown length reads n/n, 100%
            }
            double last = emaSteps > 0 ? smoothed[count - 1] : Double.NaN;
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %s, mean %s, %s samples/s", fmtLoss(last),
                    fmtLoss(mean), fmtRate(st.samplesPerSecond())));
        }
        closeBar();
        return ListenerResponse.CONTINUE;
    }

    @Override
    public void operationEnd(SameDiff sd, Operation op) {
        if (op == Operation.TRAINING) {
            closeBar(); // early stop or anything else that ends training between epochStart and epochEnd
        }
    }

    // ---------------------------------------------------------------------------------------------
    // bar

    private String taskName(int epoch) {
        int shown = epoch + 1;
        return epochs > 0 && shown <= epochs ? "Epoch " + shown + "/" + epochs : "Epoch " + shown;
    }

    private ProgressBar newBar(String task, long max) {
        PrintStream target = out != null ? out : System.err;
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max > 0 ? max : -1)
                .setUpdateIntervalMillis(updateIntervalMillis);
        if (mode == Mode.INTERACTIVE) {
            ConsoleConsumer c = new ConsoleConsumer(target, width);
            consumer = c;
            b.setConsumer(c);
        } else {
            LineConsumer c = new LineConsumer(target, width > 0 ? width : 100, max, logEveryPercent);
            consumer = c;
            b.setStyle(ProgressBarStyle.ASCII).setConsumer(c);
        }
        ProgressBar pb = b.build();
        if (consumer instanceof LineConsumer) {
            ((LineConsumer) consumer).bar = pb;
        }
        return pb;
    }

    private void closeBar() {
        if (bar != null) {
            bar.close(); // renders a final time and waits for that
            // progressbar 0.10.1 skips the consumer's close() when the bar is closed before its first
            // scheduled rendering ran (an epoch of a few microseconds): finish the line ourselves then.
            consumer.closeOnce();
            bar = null;
            consumer = null;
        }
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - epochStartNanos) / 1e9;
    }

    private static long batchSize(MultiDataSet ds) {
        if (ds == null || ds.numFeatureArrays() == 0) return 0;
        INDArray f = ds.getFeatures(0);
        return f == null || f.rank() == 0 ? 0 : f.size(0);
    }

    static String fmtLoss(double v) {
        if (Double.isNaN(v)) return "nan";
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    static String fmtRate(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "?";
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * LOG mode: receives progressbar's renderings (every update interval and once more on close) and turns
     * them into whole lines: the final rendering of the epoch, plus one each time the progress passes the
     * next multiple of {@code everyPercent} (if the total is known and {@code everyPercent < 100}).
     */
    private interface Closing extends ProgressBarConsumer {
        /** Calls {@link #close()} unless it already ran. */
        void closeOnce();
    }

    /** INTERACTIVE mode: progressbar's carriage-return console consumer, closed exactly once. */
    private static final class ConsoleConsumer extends ConsoleProgressBarConsumer implements Closing {
        private boolean closed;

        ConsoleConsumer(PrintStream out, int width) {
            super(out, width); // width <= 0: the terminal's width
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                super.close();
            }
        }

        @Override
        public void closeOnce() {
            close();
        }
    }

    private static final class LineConsumer implements Closing {
        private final PrintStream out;
        private final int width;
        private final long max;
        private final int everyPercent;
        private long nextPercent;
        private String latest;
        private boolean closed;
        volatile ProgressBar bar;

        LineConsumer(PrintStream out, int width, long max, int everyPercent) {
            this.out = out;
            this.width = width;
            this.max = max;
            this.everyPercent = everyPercent;
            this.nextPercent = everyPercent;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public synchronized void accept(String rendered) {
            latest = rendered;
            ProgressBar b = bar;
            if (b == null || max <= 0 || everyPercent >= 100) return;
            long pct = 100 * b.getCurrent() / max;
            if (pct >= nextPercent && pct < 100) { // 100% is left to the final line
                out.println(rendered.stripTrailing());
                out.flush();
                nextPercent = (pct / everyPercent + 1) * everyPercent;
            }
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            if (latest != null) {
                out.println(latest.stripTrailing());
            }
            out.flush();
        }

        @Override
        public void closeOnce() {
            close();
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Options for {@link ProgressListener}. */
    public static final class Builder {
        private Mode mode = Mode.AUTO;
        private PrintStream out;
        private int epochs = -1;
        private long stepsPerEpoch = -1;
        private double smoothing = 0.9;
        private int logEveryPercent = 100;
        private int updateIntervalMillis = 500;
        private int width = -1;

        private Builder() {}

        /** How to draw; default {@link Mode#AUTO}. */
        public Builder mode(Mode mode) {
            if (mode == null) throw new IllegalArgumentException("mode must not be null");
            this.mode = mode;
            return this;
        }

        /** Where to draw; default {@link System#err} (looked up at each epoch start). */
        public Builder out(PrintStream out) {
            if (out == null) throw new IllegalArgumentException("out must not be null");
            this.out = out;
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

        /** Weight of the past in the loss's moving average, in [0, 1); 0 shows the raw loss. Default 0.9. */
        public Builder smoothing(double beta) {
            if (!(beta >= 0 && beta < 1)) {
                throw new IllegalArgumentException("smoothing must be in [0, 1), got " + beta);
            }
            this.smoothing = beta;
            return this;
        }

        /**
         * LOG mode only: also write a line each time an epoch passes another multiple of this percentage
         * (1..100). Default 100: one line per epoch.
         */
        public Builder logEveryPercent(int percent) {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("logEveryPercent must be in [1, 100], got " + percent);
            }
            this.logEveryPercent = percent;
            return this;
        }

        /** How often the bar is redrawn (and, in LOG mode, checked for a percentage line). Default 500 ms. */
        public Builder updateIntervalMillis(int millis) {
            if (millis < 1) {
                throw new IllegalArgumentException("updateIntervalMillis must be >= 1, got " + millis);
            }
            this.updateIntervalMillis = millis;
            return this;
        }

        /** Line width in characters; default: the terminal's width (INTERACTIVE) or 100 (LOG). */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        public ProgressListener build() {
            return new ProgressListener(this);
        }
    }
}
