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
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.records.History;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
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

    @Test
    void recordsAgreeWithSameDiffHistory() {
        SameDiff sd = model();
        DataSetIterator it = data();
        Capture log = new Capture();
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.LOG).out(log.stream)
                .epochs(3).stepsPerEpoch(STEPS).build();

        long t0 = System.nanoTime();
        History h = Training.fit(sd, it, 3, p);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;

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
            assertTrue(line.contains("mean " + ProgressListener.fmtLoss(means[e])), line);
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
        History h = sd.fit(it, 1, p);
        assertEquals(STEPS, p.epochs().get(0).iterations());
        assertEquals(1, h.lossCurve().meanLoss("loss").length);
        assertThrows(IllegalArgumentException.class, () -> ProgressListener.countBatches(null));
    }

    @Test
    void unknownStepsAreLearnedFromTheFirstEpoch() {
        Capture log = new Capture();
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.LOG).out(log.stream).build();
        assertEquals(-1, p.expectedSteps());
        SameDiff sd = model();
        DataSetIterator it = data();
        sd.fit(it, 1, p);
        assertEquals(STEPS, p.expectedSteps());
        sd.fit(it, 1, p);
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
    void logEveryPercentWritesIntermediateLinesButNeverMoreThanItsShare() {
        Capture log = new Capture();
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.LOG).out(log.stream)
                .epochs(2).stepsPerEpoch(STEPS).logEveryPercent(25).updateIntervalMillis(2).build();
        BaseListener slow = new BaseListener() { // makes an epoch outlast several update intervals
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        model().fit(data(), 2, p, slow);
        List<String> lines = log.lines();
        long finals = lines.stream().filter(l -> l.contains(" 100% ")).count();
        assertEquals(2, finals, log.text());
        assertTrue(lines.size() > 2, "expected 25%-lines:\n" + log.text());
        assertTrue(lines.size() <= 2 * 4, log.text());
        for (String l : lines) {
            assertTrue(l.startsWith("Epoch "), l);
        }
    }

    @Test
    void interactiveModeRedrawsInPlaceAndEndsEachEpochWithANewline() {
        Capture term = new Capture();
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.INTERACTIVE).out(term.stream)
                .epochs(2).stepsPerEpoch(STEPS).width(90).build();
        model().fit(data(), 2, p);
        String t = term.text();
        assertTrue(t.contains("\r"), t);
        assertEquals(2, t.chars().filter(c -> c == '\n').count(), t);
        assertTrue(t.contains("Epoch 2/2 100%"), t);
    }

    @Test
    void offModeWritesNothingButStillRecords() {
        Capture out = new Capture();
        ProgressListener p = ProgressListener.builder().mode(ProgressListener.Mode.OFF).out(out.stream).build();
        model().fit(data(), 2, p);
        assertEquals("", out.text());
        assertEquals(2 * STEPS, p.iterationLosses().length);
        assertEquals(2, p.epochSeconds().length);
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
    void modeProperty() {
        String old = System.getProperty(ProgressListener.MODE_PROPERTY);
        try {
            System.setProperty(ProgressListener.MODE_PROPERTY, "off");
            assertEquals(ProgressListener.Mode.OFF, new ProgressListener().mode());
            System.setProperty(ProgressListener.MODE_PROPERTY, "LOG");
            assertEquals(ProgressListener.Mode.LOG, ProgressListener.detectMode());
            System.setProperty(ProgressListener.MODE_PROPERTY, "fancy");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ProgressListener::detectMode);
            assertTrue(e.getMessage().contains("fancy"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(ProgressListener.MODE_PROPERTY);
            else System.setProperty(ProgressListener.MODE_PROPERTY, old);
        }
        assertThrows(IllegalArgumentException.class, () -> ProgressListener.builder().smoothing(1));
        assertThrows(IllegalArgumentException.class, () -> ProgressListener.builder().logEveryPercent(0));
    }
}
