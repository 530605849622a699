package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.brainstate4j.graph.SameDiffNoise;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.records.History;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a real (tiny) SameDiff linear regression on random data through a real
 * {@link ListDataSetIterator} through {@link Training#fit} and compares what {@link ProgressListener}
 * recorded and printed with SameDiff's own {@link History}.
 */
class ProgressListenerTest {

    /** 100 examples in batches of 16: 6 full batches and one of 4. */
    private static final int EXAMPLES = 100;
    private static final int BATCH = 16;
    private static final int STEPS = 7;

    @BeforeAll
    static void quiet() {
        SameDiffNoise.install();
    }

    private static SameDiff model() {
        return TrainingTest.regression(true);
    }

    private static DataSetIterator data() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, EXAMPLES, 4);
        INDArray y = x.mmul(Nd4j.createFromArray(new float[][] {{1f}, {-2f}, {0.5f}, {3f}})).addi(0.5);
        List<DataSet> examples = new DataSet(x, y).asList();
        return new ListDataSetIterator<>(examples, BATCH);
    }

    private static final class Capture {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            stream.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        }

        List<String> lines() {
            String t = text();
            return t.isEmpty() ? List.of() : Arrays.asList(t.split("\n"));
        }
    }

    /** Runs {@code training} with {@link System#err}, where the bar goes, captured; returns what was written there. */
    private static Capture stderrOf(Runnable training) {
        Capture err = new Capture();
        PrintStream oldErr = System.err;
        System.setErr(err.stream);
        try {
            training.run();
        } finally {
            System.setErr(oldErr);
        }
        return err;
    }

    @Test
    void recordsAgreeWithSameDiffHistory() {
        SameDiff sd = model();
        DataSetIterator it = data();
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.LOG)
                .epochs(3).stepsPerEpoch(STEPS).build();

        History[] fitted = new History[1];
        long t0 = System.nanoTime();
        Capture log = stderrOf(() -> fitted[0] = Training.fit(sd, it, 3, p));
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        History h = fitted[0];

        float[] curve = h.lossCurve().meanLoss("loss");
        assertEquals(3, curve.length);
        assertEquals(3, h.trainingEpochs());

        double[] iter = p.iterationLosses();
        assertEquals(3 * STEPS, iter.length);
        assertEquals(3 * STEPS, p.smoothedIterationLosses().length);
        assertEquals(iter[0], p.smoothedIterationLosses()[0], 1e-12, "bias-corrected EMA starts at the first loss");
        List<ProgressListener.EpochStats> epochs = p.epochs();
        assertEquals(3, epochs.size());
        double[] means = p.epochMeanLosses();
        double secondsSum = 0;
        for (int e = 0; e < 3; e++) {
            ProgressListener.EpochStats st = epochs.get(e);
            assertEquals(e, st.epoch());
            assertEquals(STEPS, st.iterations());
            assertEquals(EXAMPLES, st.samples());
            // SameDiff keeps its loss curve in float
            assertEquals(curve[e], means[e], 1e-6 * Math.max(1, Math.abs(curve[e])), "epoch " + e);
            double m = Arrays.stream(iter, e * STEPS, (e + 1) * STEPS).average().orElseThrow();
            assertEquals(m, st.meanLoss(), 1e-12);
            assertTrue(st.seconds() > 0);
            // SameDiff measures a sub-interval of ours, in whole milliseconds
            assertTrue(st.sameDiffMillis() <= st.seconds() * 1000 + 1, st.toString());
            assertTrue(st.samplesPerSecond() > 0);
            secondsSum += st.seconds();
        }
        assertTrue(secondsSum * 1000 <= h.trainingTimeMillis() + 2,
                "epochs " + secondsSum + " s vs SameDiff training " + h.trainingTimeMillis() + " ms");
        assertTrue(secondsSum <= fitSeconds);
        assertTrue(Arrays.stream(iter).allMatch(l -> l > 0), "real (non-zero) losses: " + Arrays.toString(iter));
        assertTrue(means[2] < means[0], "the regression learns: " + Arrays.toString(means));

        // LOG mode: exactly one plain line per epoch, no carriage returns or escape codes
        String text = log.text();
        assertFalse(text.contains("\r"), text);
        assertFalse(text.contains("\u001b"), text);
        List<String> lines = log.lines();
        assertEquals(3, lines.size(), text);
        for (int e = 0; e < 3; e++) {
            String line = lines.get(e);
            assertTrue(line.startsWith("Epoch " + (e + 1) + "/3 100% ["), line);
            assertTrue(line.contains(" " + STEPS + "/" + STEPS + " "), line);
            assertTrue(line.contains("mean " + EpochProgressBar.fmtLoss(means[e])), line);
            assertTrue(line.contains("samples/s"), line);
        }
    }

    @Test
    void iteratorConstructorCountsBatchesAndLeavesTheIteratorReady() {
        DataSetIterator it = data();
        assertEquals(STEPS, ProgressListener.countBatches(it));
        assertEquals(STEPS, ProgressListener.countBatches(it));
        SameDiff sd = model();
        ProgressListener p = new ProgressListener(it, 1);
        assertEquals(STEPS, p.expectedSteps());
        History h = sd.fit(it, 1, p);
        assertEquals(STEPS, p.epochs().get(0).iterations());
        assertEquals(1, h.lossCurve().meanLoss("loss").length);
        assertThrows(IllegalArgumentException.class, () -> ProgressListener.countBatches(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProgressListener(null, 1));
        assertTrue(e.getMessage().contains("iterator"), e.getMessage());
    }

    @Test
    void unknownStepsAreLearnedFromTheFirstEpoch() {
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.LOG).build();
        assertEquals(-1, p.expectedSteps());
        SameDiff sd = model();
        DataSetIterator it = data();
        Capture log = stderrOf(() -> {
            sd.fit(it, 1, p);
            assertEquals(STEPS, p.expectedSteps());
            sd.fit(it, 1, p);
        });
        List<String> lines = log.lines();
        assertEquals(2, lines.size(), log.text());
        // the epoch counter carries on across fit calls; an epoch of unknown length still ends at n/n
        for (int e = 0; e < 2; e++) {
            assertTrue(lines.get(e).startsWith("Epoch " + (e + 1) + " 100% "), lines.get(e));
            assertTrue(lines.get(e).contains(" " + STEPS + "/" + STEPS + " "), lines.get(e));
        }
        assertEquals(2, p.epochs().size());
        assertEquals(1, p.epochs().get(1).epoch());
    }

    @Test
    void interactiveModeRedrawsInPlaceAndEndsEachEpochWithANewline() {
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.INTERACTIVE)
                .epochs(2).stepsPerEpoch(STEPS).build();
        Capture term = stderrOf(() -> model().fit(data(), 2, p));
        String t = term.text();
        assertTrue(t.contains("\r"), t);
        assertEquals(2, t.chars().filter(c -> c == '\n').count(), t);
        assertTrue(t.contains("Epoch 2/2 100%"), t);
    }

    @Test
    void offModeWritesNothingButStillRecords() {
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.OFF).build();
        Capture err = stderrOf(() -> model().fit(data(), 2, p));
        assertEquals("", err.text());
        assertEquals(2 * STEPS, p.iterationLosses().length);
        assertEquals(2, p.epochs().size());
        assertTrue(p.epochs().stream().allMatch(st -> st.seconds() > 0), p.epochs().toString());
    }

    @Test
    void defaultTargetIsStderrAndStdoutStaysClean() {
        SameDiff sd = model();
        sd.createGradFunction(); // builds the gradient graph (and its stdout chatter) before we capture
        Capture out = new Capture();
        Capture err = new Capture();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(out.stream);
        System.setErr(err.stream);
        try {
            sd.fit(data(), 1, ProgressListener.builder().mode(ProgressListener.Mode.LOG).epochs(1).build());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals("", out.text());
        assertTrue(err.text().startsWith("Epoch 1/1 100% "), err.text());
        assertEquals(1, err.lines().size(), err.text());
    }

    @Test
    void modePropertyChoosesTheModeOfADefaultListener() {
        String property = "brainstate4j.progress"; // the name docs/training.md documents
        String old = System.getProperty(property);
        try {
            System.setProperty(property, "off");
            ProgressListener off = new ProgressListener();
            assertEquals("", stderrOf(() -> model().fit(data(), 1, off)).text());
            assertEquals(STEPS, off.iterationLosses().length, "recorded while drawing nothing");

            System.setProperty(property, "LOG");
            ProgressListener log = new ProgressListener();
            Capture err = stderrOf(() -> model().fit(data(), 1, log));
            assertFalse(err.text().contains("\r"), err.text());
            assertEquals(1, err.lines().size(), err.text());
            assertTrue(err.text().startsWith("Epoch 1 100% "), err.text());

            System.setProperty(property, "interactive");
            ProgressListener interactive = new ProgressListener();
            assertTrue(stderrOf(() -> model().fit(data(), 1, interactive)).text().contains("\r"));

            System.setProperty(property, "fancy");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ProgressListener::new);
            assertTrue(e.getMessage().contains("fancy") && e.getMessage().contains(property), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(property);
            else System.setProperty(property, old);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProgressListener.builder().mode(null));
        assertTrue(e.getMessage().contains("mode"), e.getMessage());
    }
}
