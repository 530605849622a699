package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.brainstate4j.report.Plots;
import org.brainstate4j.report.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the main job plots: which series, on which axis, with which titles and ranges, at which epochs. */
class TrainerChartsTest {

    static List<Trainer.EpochRecord> records(int firstEpoch, double... metric) {
        List<Trainer.EpochRecord> r = new ArrayList<>();
        for (int e = 0; e < metric.length; e++) {
            r.add(new Trainer.EpochRecord(firstEpoch + e, 1.0 / (e + 1), metric[e], 10,
                    new MemoryProbe(70L << 20, 200L << 20, (800L + e) << 20)));
        }
        return r;
    }

    static double[] losses(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 2.3 * Math.exp(-i / 40.0) + 0.3;
        return v;
    }

    @Test
    void accuracyAndIouGetAPanelOfTheirOwnFromZeroToOne() {
        for (String metric : List.of("accuracy", "mean IoU")) {
            Trainer.Chart c = Trainer.trainingCurves(records(1, 0.63, 0.66), losses(64), metric,
                    "loss (softmax cross-entropy per image)", true);
            assertEquals("loss (softmax cross-entropy per image)", c.left().title());
            assertEquals(metric, c.right().title());
            assertEquals(0.0, c.right().min());
            assertEquals(1.0, c.right().max());
            List<Series> right = c.series().stream().filter(Series::rightAxis).toList();
            assertEquals(List.of("validation " + metric), right.stream().map(Series::name).toList());
            assertEquals(List.of("train loss (mean of the last 4 steps)", "train loss (epoch mean)"),
                    c.series().stream().filter(s -> !s.rightAxis()).map(Series::name).toList());
        }
    }

    @Test
    void theAutoencodersMseSharesTheLossAxis() {
        Trainer.Chart c = Trainer.trainingCurves(records(1, 0.036, 0.034), losses(26), "MSE", "loss (MSE per pixel and channel)",
                false);
        assertNull(c.right(), "one panel");
        assertTrue(c.series().stream().noneMatch(Series::rightAxis));
        assertTrue(c.series().stream().anyMatch(s -> s.name().equals("validation MSE")));
        assertEquals("train loss (per step)", c.series().get(0).name(), "13 steps per epoch: no averaging");
    }

    @Test
    void aResumedRunIsDrawnAtTheEpochsItTrained() {
        Trainer.Chart c = Trainer.trainingCurves(records(3, 0.7, 0.72), losses(20), "accuracy", "loss", true);
        Series perStep = c.series().get(0);
        assertEquals(2.1, perStep.x()[0], 1e-12, "epoch 3 runs from x = 2 to 3: its first of 10 steps");
        assertEquals(4.0, perStep.x()[19], 1e-12, "the last step of epoch 4 where its epoch mean is drawn");
        assertArrayEquals(new double[] {3, 4}, c.series().get(1).x());
        assertArrayEquals(new double[] {3, 4}, Trainer.memoryCurves(records(3, 0.7, 0.72)).series().get(0).x());
    }

    @Test
    void memoryIsInMibFromZero() {
        Trainer.Chart m = Trainer.memoryCurves(records(1, 0.5, 0.6, 0.7));
        assertEquals("memory (MiB)", m.left().title());
        assertEquals(0.0, m.left().min());
        assertArrayEquals(new double[] {800, 801, 802}, m.series().get(0).y());
        assertArrayEquals(new double[] {70, 70, 70}, m.series().get(2).y());
    }

    @Test
    void nanLossesLeaveGapsNotAFailedRun(@TempDir Path dir) {
        double[] l = losses(64);
        l[10] = Double.NaN;
        double[] mean = Trainer.trailingMean(l, 4);
        assertEquals((l[7] + l[8] + l[9]) / 3, mean[10], 1e-12, "the NaN step is left out of its windows");
        assertEquals((l[0] + l[1]) / 2, mean[1], 1e-12, "fewer steps at the start");
        double[] allNaN = new double[64];
        java.util.Arrays.fill(allNaN, Double.NaN);
        Trainer.Chart c = Trainer.trainingCurves(records(1, Double.NaN, Double.NaN), allNaN, "accuracy", "loss", true);
        List<String> names = c.series().stream().map(Series::name).toList();
        assertFalse(names.contains("validation accuracy") || names.stream().anyMatch(n -> n.contains("per step")), names.toString());
        Plots.trainingCurves(dir.resolve("c.png"), "t", c.series(), "epoch", c.left(), c.right());
        assertTrue(Files.exists(dir.resolve("c.png")));
    }
}
