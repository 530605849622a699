package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class MetricsTest {

    @Test
    void confusionAccuracyAndIouByHand() {
        // truth 0,0,1,1,2 ; predicted 0,1,1,1,0
        long[][] counts = new long[3][3];
        float[][] labels = {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] scores = {{.9f, .1f, 0}, {.2f, .7f, .1f}, {0, 1, 0}, {.1f, .8f, .1f}, {.6f, .3f, .1f}};
        Metrics.accumulate(counts, Nd4j.createFromArray(labels), Nd4j.createFromArray(scores));
        assertArrayEquals(new long[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 0}}, counts);
        assertEquals(3.0 / 5, Metrics.accuracy(counts), 1e-12);
        double[] iou = Metrics.iou(counts);
        assertEquals(1.0 / 3, iou[0], 1e-12); // TP 1, FN 1, FP 1
        assertEquals(2.0 / 3, iou[1], 1e-12); // TP 2, FP 1
        assertEquals(0.0, iou[2], 1e-12);
        assertEquals((1.0 / 3 + 2.0 / 3) / 3, Metrics.mean(iou), 1e-12);
    }

    @Test
    void perPixelSegmentationAndAbsentClass() {
        long[][] counts = new long[3][3];
        // 1 image 2x2, classes 0 and 1 only; class 2 absent from truth and predictions -> NaN, excluded
        float[] labels = {1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0};
        Metrics.accumulate(counts, Nd4j.createFromArray(labels).reshape(1, 2, 2, 3),
                Nd4j.createFromArray(labels).reshape(1, 2, 2, 3));
        double[] iou = Metrics.iou(counts);
        assertTrue(Double.isNaN(iou[2]));
        assertEquals(1.0, Metrics.mean(iou), 1e-12);
    }

    @Test
    void mismatchedShapesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.accumulate(new long[2][2], Nd4j.zeros(4, 2), Nd4j.zeros(4, 3)));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }
}
