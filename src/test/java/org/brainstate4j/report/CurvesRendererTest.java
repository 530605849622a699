package org.brainstate4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.brainstate4j.report.CurvesRenderer.Axis;
import org.brainstate4j.report.CurvesRenderer.Panel;
import org.brainstate4j.report.CurvesRenderer.Text;
import org.brainstate4j.report.CurvesRenderer.TextKind;
import org.brainstate4j.report.CurvesRenderer.Tick;
import org.junit.jupiter.api.Test;

/**
 * The axes of training-curve charts, checked on the layout (titles, ranges, ticks) and on the rendered
 * pixels (every tick label and axis title is drawn where the layout says, inside the picture, and no two
 * pieces of text overlap). The main job's loss-and-metric chart used to draw the metric against a second
 * axis without tick labels; {@link #aMetricGetsItsOwnPanelWithALabelledZeroToOneAxis} fails if it does again.
 */
class CurvesRendererTest {

    /** A cnn run's curves: a per-step loss over {@code epochs} epochs of 32 steps and a per-epoch accuracy. */
    static List<Series> lossAndAccuracy(int epochs) {
        Random r = new Random(5);
        double[] loss = new double[32 * epochs];
        for (int i = 0; i < loss.length; i++) {
            loss[i] = 0.9 + 1.4 * Math.exp(-i / 20.0) + 0.1 * r.nextGaussian();
        }
        double[] acc = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            acc[e] = 0.63 + 0.03 * e;
        }
        return List.of(Series.perIteration("train loss", loss, 32), Series.perEpoch("validation accuracy", acc).onRightAxis());
    }

    @Test
    void aMetricGetsItsOwnPanelWithALabelledZeroToOneAxis() throws IOException {
        CurvesRenderer chart = Plots.renderCurves("cnn training", lossAndAccuracy(2), "epoch",
                YAxis.of("loss (cross-entropy per image)"), YAxis.fraction("accuracy"));
        assertEquals(2, chart.panels.size(), "loss and accuracy in panels of their own");
        Panel loss = chart.panels.get(0), accuracy = chart.panels.get(1);
        assertEquals("loss (cross-entropy per image)", loss.y().title());
        assertEquals(List.of("train loss"), loss.series().stream().map(Series::name).toList());
        assertEquals("accuracy", accuracy.y().title());
        assertEquals(List.of("validation accuracy"), accuracy.series().stream().map(Series::name).toList());
        assertEquals(0.0, accuracy.y().min(), "accuracy axis from 0");
        assertEquals(1.0, accuracy.y().max(), "accuracy axis to 1");
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), labels(accuracy.y()));
        for (Panel p : chart.panels) {
            assertEquals("epoch", p.x().title());
            assertEquals(List.of("0", "1", "2"), labels(p.x()), "whole epochs");
        }
        assertTrue(loss.y().min() <= 0.9 && loss.y().max() >= 2.2, "loss axis covers the data: " + loss.y());

        BufferedImage img = chart.render();
        assertEquals(CurvesRenderer.TWO_PANEL_WIDTH, img.getWidth());
        assertAxesDrawn(chart, img);
        save(img, "curves-two-panels.png");
    }

    @Test
    void oneEpochStillHasWholeEpochTicksAndTheMetricItsRange() {
        CurvesRenderer chart = Plots.renderCurves("one epoch", lossAndAccuracy(1), "epoch", YAxis.of("loss"),
                YAxis.fraction("mean IoU"));
        for (Panel p : chart.panels) {
            assertEquals(List.of("0", "1"), labels(p.x()));
        }
        assertEquals(0.0, chart.panels.get(1).y().min());
        assertEquals(1.0, chart.panels.get(1).y().max());
        assertAxesDrawn(chart, chart.render());
    }

    @Test
    void manyStepsGetRoundTicksWhoseLabelsKeepApart() throws IOException {
        Random r = new Random(6);
        for (int n : new int[] {24, 40, 120, 225, 1_000, 12_345}) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = 0.02 + 0.02 * Math.exp(-i / (n / 4.0)) + 0.004 * r.nextGaussian();
            }
            CurvesRenderer chart = Plots.renderCurves("steps", List.of(Series.of("training loss (per step)", y)), "step",
                    YAxis.of("MSE per pixel"), null);
            Panel p = chart.panels.get(0);
            double step = p.x().ticks().get(1).value() - p.x().ticks().get(0).value();
            assertTrue(isRound(step), n + " steps: tick step " + step + " is 1, 2, 2.5 or 5 times a power of ten");
            for (Tick t : p.x().ticks()) {
                assertEquals(Math.rint(t.value()), t.value(), n + " steps: whole-number ticks");
            }
            assertTrue(p.x().min() <= 1 && p.x().max() >= n, n + " steps: x axis " + p.x());
            assertTrue(p.x().ticks().size() >= 4, n + " steps: " + labels(p.x()));
            assertAxesDrawn(chart, chart.render());
            if (n == 225) save(chart.render(), "curves-225-steps.png");
        }
    }

    @Test
    void aSingleOrConstantValueGetsAShortRangeWithLabelledEnds() {
        CurvesRenderer one = Plots.renderCurves("one", List.of(Series.of("validation loss", new double[] {0.138121744791667})),
                "epoch", YAxis.of("loss"), null);
        Axis y = one.panels.get(0).y();
        assertTrue(y.min() < 0.1381 && y.max() > 0.1382, y.toString());
        for (String label : labels(y)) {
            assertTrue(label.length() <= 5, "short tick labels, not the value in full: " + labels(y));
        }
        assertEquals(List.of("0", "1", "2"), labels(one.panels.get(0).x()), "epoch 1 alone");
        assertAxesDrawn(one, one.render());

        CurvesRenderer zero = Plots.renderCurves("zero", List.of(Series.of("loss", new double[24])), "step",
                YAxis.of("loss"), null);
        assertEquals(0.0, zero.panels.get(0).y().min(), "a loss of 0 (an all-zero history) is not drawn below 0");
        assertAxesDrawn(zero, zero.render());
    }

    @Test
    void fixedEndsAreKeptAndFreeEndsReachTheNextTick() {
        CurvesRenderer memory = Plots.renderCurves("memory", List.of(Series.perEpoch("resident", new double[] {811, 879, 892}),
                Series.perEpoch("heap used", new double[] {70, 72, 71})), "epoch", YAxis.fromZero("memory (MiB)"), null);
        Axis y = memory.panels.get(0).y();
        assertEquals(0.0, y.min());
        assertEquals(y.ticks().get(y.ticks().size() - 1).value(), y.max(), "the top is a labelled tick");
        assertTrue(y.max() >= 892, y.toString());
        assertEquals(List.of("1", "2", "3"), labels(memory.panels.get(0).x()));
        assertAxesDrawn(memory, memory.render());

        Axis thousands = CurvesRenderer.axis("t", 900, 14_000, Double.NaN, Double.NaN, 400, false, s -> 14, 26);
        assertTrue(labels(thousands).contains("10,000"), "grouped thousands: " + labels(thousands));
        Axis small = CurvesRenderer.axis("t", 0.00012, 0.00015, Double.NaN, Double.NaN, 400, false, s -> 14, 26);
        for (String label : labels(small)) {
            assertTrue(label.matches("0\\.000\\d{2,3}"), "as many decimals as the step needs: " + labels(small));
        }
    }

    @Test
    void nonFiniteValuesLeaveAGap() {
        double[] diverged = {1.0, 0.8, Double.NaN, Double.POSITIVE_INFINITY, 0.5};
        CurvesRenderer chart = Plots.renderCurves("diverged", List.of(Series.of("val", diverged)), "epoch", YAxis.of("loss"), null);
        Axis y = chart.panels.get(0).y();
        assertTrue(y.max() < 10, "the range follows the finite values: " + y);
        assertAxesDrawn(chart, chart.render());
    }

    @Test
    void badAxesAreRefused() {
        List<Series> both = lossAndAccuracy(2);
        PlotsTest.assertMessage(() -> Plots.renderCurves("t", both, "epoch", YAxis.of("loss"), null),
                "series 'validation accuracy' is on the right axis but the right axis is null");
        PlotsTest.assertMessage(() -> Plots.renderCurves("t", both, null, YAxis.of("loss"), YAxis.fraction("acc")),
                "xLabel must not be blank");
        PlotsTest.assertMessage(() -> YAxis.of(" "), "axis title must not be blank");
        PlotsTest.assertMessage(() -> new YAxis("acc", 1, 0), "axis 'acc': min (=1.0) must be less than max (=0.0)");
        PlotsTest.assertMessage(() -> new YAxis("acc", 0, Double.POSITIVE_INFINITY), "must be finite or NaN");
    }

    // ---------------------------------------------------------------------------------------------

    static List<String> labels(Axis a) {
        return a.ticks().stream().map(Tick::label).toList();
    }

    static boolean isRound(double step) {
        double m = step / Math.pow(10, Math.floor(Math.log10(step)));
        for (double nice : new double[] {1, 2, 2.5, 5}) {
            if (Math.abs(m - nice) < 1e-9) return true;
        }
        return false;
    }

    /**
     * For every panel: both axes have a title and at least two ticks, each tick has its label next to it
     * (left of the plot for y, under it for x) and every axis title and tick label is inside the picture,
     * apart from all other text, and actually drawn (dark pixels in its box).
     */
    static void assertAxesDrawn(CurvesRenderer chart, BufferedImage img) {
        Rectangle picture = new Rectangle(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < chart.panels.size(); i++) {
            Panel p = chart.panels.get(i);
            String where = "panel " + i + " (" + p.y().title() + ")";
            Rectangle plot = p.plot();
            assertTrue(p.x().ticks().size() >= 2 && p.y().ticks().size() >= 2, where + ": ticks " + labels(p.x()) + " / " + labels(p.y()));
            for (Tick t : p.y().ticks()) {
                Text label = find(chart, TextKind.TICK_LABEL, t.label(),
                        b -> b.x + b.width <= plot.x && Math.abs(b.getCenterY() - p.yPixel(t.value())) <= 3, where + " y tick " + t);
                assertTrue(t.value() >= p.y().min() - 1e-12 && t.value() <= p.y().max() + 1e-12, where + " y tick in range " + t);
                assertDrawn(img, label, where);
            }
            for (Tick t : p.x().ticks()) {
                Text label = find(chart, TextKind.TICK_LABEL, t.label(),
                        b -> b.y >= plot.y + plot.height && b.x <= p.xPixel(t.value()) && b.x + b.width >= p.xPixel(t.value()),
                        where + " x tick " + t);
                assertDrawn(img, label, where);
            }
            assertDrawn(img, find(chart, TextKind.AXIS_TITLE, p.x().title(),
                    b -> b.y > plot.y + plot.height && b.x >= plot.x && b.x + b.width <= plot.x + plot.width, where + " x title"), where);
            assertDrawn(img, find(chart, TextKind.AXIS_TITLE, p.y().title(),
                    b -> b.x + b.width < plot.x && b.height > b.width, where + " y title (turned)"), where);
            assertEquals(p.series().size(), p.legend().size(), where + ": a legend entry per series");
            for (Text t : p.legend()) {
                assertDrawn(img, t, where);
            }
        }
        List<Text> texts = new ArrayList<>(chart.texts);
        for (int a = 0; a < texts.size(); a++) {
            assertTrue(picture.contains(texts.get(a).box()), "inside the picture: " + texts.get(a));
            for (int b = a + 1; b < texts.size(); b++) {
                assertFalse(texts.get(a).box().intersects(texts.get(b).box()),
                        "overlapping text: " + texts.get(a) + " and " + texts.get(b));
            }
        }
    }

    static Text find(CurvesRenderer chart, TextKind kind, String text, java.util.function.Predicate<Rectangle> where, String what) {
        for (Text t : chart.texts) {
            if (t.kind() == kind && t.text().equals(text) && where.test(t.box())) return t;
        }
        throw new AssertionError(what + ": no " + kind + " '" + text + "' in place among " + chart.texts);
    }

    /** At least a few dark pixels (text is dark grey or black on white) inside the text's box. */
    static void assertDrawn(BufferedImage img, Text t, String where) {
        int dark = 0;
        Rectangle b = t.box();
        for (int y = b.y; y < b.y + b.height; y++) {
            for (int x = b.x; x < b.x + b.width; x++) {
                if (PlotsTest.luminance(img.getRGB(x, y) & 0xFFFFFF) < 128) dark++;
            }
        }
        assertTrue(dark >= 3 * Math.max(1, t.text().strip().length()) / 2, where + ": '" + t.text() + "' drawn (" + dark + " dark pixels in " + b + ")");
    }

    static void save(BufferedImage img, String name) throws IOException {
        Files.createDirectories(PlotsTest.PREVIEW);
        ImageIO.write(img, "png", PlotsTest.PREVIEW.resolve(name).toFile());
    }
}
