package org.brainstate4j.train;

import java.io.PrintStream;
import java.util.Locale;

import org.brainstate4j.train.ProgressListener.EpochStats;
import org.brainstate4j.train.ProgressListener.Mode;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The drawing half of {@link ProgressListener}: one progressbar bar per epoch on {@link System#err}
 * (looked up when each epoch starts), with steps, elapsed time and ETA, smoothed loss and samples/s.
 * On a terminal the bar is redrawn in place and each finished epoch stays as one line; in log mode
 * only the finished epoch's line is written, plain ASCII with no carriage returns. It records
 * nothing; {@link LossRecorder} does that.
 */
final class EpochProgressBar {
    /** System property that overrides {@link Mode#AUTO}: {@code interactive}, {@code log} or {@code off}. */
    static final String MODE_PROPERTY = "brainstate4j.progress";
    private static final int UPDATE_INTERVAL_MILLIS = 500;
    private static final int LOG_LINE_WIDTH = 100;

    private final boolean interactive;
    private final int epochs;
    private ProgressBar bar;
    private ProgressBarConsumer consumer;

    /** {@code interactive}: redrawn in place on a terminal, else one line per epoch; {@code epochs <= 0}: unknown. */
    EpochProgressBar(boolean interactive, int epochs) {
        this.interactive = interactive;
        this.epochs = epochs;
    }

    /** The mode {@link Mode#AUTO} resolves to in this process; see {@link ProgressListener}. */
    static Mode detectMode() {
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

    /** Starts the bar of 0-based {@code epoch}; {@code expectedSteps <= 0}: indefinite (count only). */
    void start(int epoch, long expectedSteps) {
        close();
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(taskName(epoch))
                .setInitialMax(expectedSteps > 0 ? expectedSteps : -1)
                .setUpdateIntervalMillis(UPDATE_INTERVAL_MILLIS);
        if (interactive) {
            consumer = new ConsoleConsumer(System.err);
        } else {
            consumer = new LineConsumer(System.err);
            b.setStyle(ProgressBarStyle.ASCII);
        }
        b.setConsumer(consumer);
        bar = b.build();
    }

    /** One step done; shows the smoothed loss and the epoch's throughput so far. */
    void step(double smoothedLoss, double samplesPerSecond) {
        if (bar == null) return;
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %s, %s samples/s", fmtLoss(smoothedLoss),
                fmtRate(samplesPerSecond)));
        bar.step();
    }

    /** Writes the epoch's final line (last smoothed loss, mean loss, throughput) and closes the bar. */
    void finish(EpochStats epoch, double lastSmoothedLoss) {
        if (bar != null) {
            if (bar.isIndefinite() && epoch.iterations() > 0) {
                bar.maxHint(epoch.iterations()); // the final line of an epoch of unknown length reads n/n, 100%
            }
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %s, mean %s, %s samples/s",
                    fmtLoss(lastSmoothedLoss), fmtLoss(epoch.meanLoss()), fmtRate(epoch.samplesPerSecond())));
        }
        close();
    }

    /** Closes the bar of the epoch in progress, if any (also for training that ends mid-epoch). */
    void close() {
        if (bar != null) {
            bar.close(); // renders a final time and waits for that
            // progressbar 0.10.1 skips the consumer's close() when the bar is closed before its first
            // scheduled rendering ran (an epoch of a few microseconds): finish the line ourselves then
            // (both consumers close once only).
            consumer.close();
            bar = null;
            consumer = null;
        }
    }

    private String taskName(int epoch) {
        int shown = epoch + 1;
        return epochs > 0 && shown <= epochs ? "Epoch " + shown + "/" + epochs : "Epoch " + shown;
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

    /** Interactive: progressbar's carriage-return console consumer, at the terminal's width, closed exactly once. */
    private static final class ConsoleConsumer extends ConsoleProgressBarConsumer {
        private boolean closed;

        ConsoleConsumer(PrintStream out) {
            super(out);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                super.close();
            }
        }
    }

    /**
     * Log mode: keeps progressbar's latest rendering (it renders every update interval and once more on
     * close) and writes it as one whole line when the epoch ends.
     */
    private static final class LineConsumer implements ProgressBarConsumer {
        private final PrintStream out;
        private String latest;
        private boolean closed;

        LineConsumer(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return LOG_LINE_WIDTH;
        }

        @Override
        public synchronized void accept(String rendered) {
            latest = rendered;
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
    }
}
