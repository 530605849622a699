package org.brainstate4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.brainstate4j.report.CurvesRenderer.Panel;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.PaintedAxes;
import org.knowm.xchart.internal.chartpart.PaintedAxes.Tick;

/**
 * The axes of training-curve charts, checked on the XChart charts (titles, ranges, series) and on the
 * rendered picture: every tick label XChart drew is found in the pixels, at its tick, apart from its
 * neighbours, and says the value at its tick; axis titles and legends are drawn. The main job's
 * loss-and-metric chart used to draw the metric against a second axis without tick labels;
 * {@link #aMetricGetsItsOwnPanelWithALabelledZeroToOneAxis} fails if it does again.
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
        XYChart loss = chart.panels.get(0).chart(), accuracy = chart.panels.get(1).chart();
        assertEquals("loss (cross-entropy per image)", loss.getYAxisTitle());
        assertEquals(List.of("train loss"), List.copyOf(loss.getSeriesMap().keySet()));
        assertEquals("accuracy", accuracy.getYAxisTitle());
        assertEquals(List.of("validation accuracy"), List.copyOf(accuracy.getSeriesMap().keySet()));
        assertEquals(0.0, accuracy.getStyler().getYAxisMin(), "accuracy axis from 0");
        assertEquals(1.0, accuracy.getStyler().getYAxisMax(), "accuracy axis to 1");
        assertTrue(loss.getStyler().getYAxisMin() <= 0.9 && loss.getStyler().getYAxisMax() >= 2.2,
                "loss axis covers the data: " + loss.getStyler().getYAxisMin() + " to " + loss.getStyler().getYAxisMax());

        BufferedImage img = chart.render();
        assertEquals(CurvesRenderer.TWO_PANEL_WIDTH, img.getWidth());
        assertAxesDrawn(chart, img);
        List<String> fraction = labels(PaintedAxes.yTicks(accuracy));
        assertEquals("0.0", fraction.get(0), "accuracy labelled from 0: " + fraction);
        assertEquals("1.0", fraction.get(fraction.size() - 1), "accuracy labelled to 1: " + fraction);
        assertTrue(fraction.size() >= 3 && fraction.stream().allMatch(l -> l.matches("[01]\\.\\d")), fraction.toString());
        for (Panel p : chart.panels) {
            assertEquals("epoch", p.chart().getXAxisTitle());
            assertEquals(List.of("0", "1", "2"), labels(PaintedAxes.xTicks(p.chart())), "whole epochs");
        }
        save(img, "curves-two-panels.png");
    }

    @Test
    void oneEpochStillHasWholeEpochTicksAndTheMetricItsRange() {
        CurvesRenderer chart = Plots.renderCurves("one epoch", lossAndAccuracy(1), "epoch", YAxis.of("loss"),
                YAxis.fraction("mean IoU"));
        BufferedImage img = chart.render();
        assertAxesDrawn(chart, img);
        for (Panel p : chart.panels) {
            assertEquals(List.of("0", "1"), labels(PaintedAxes.xTicks(p.chart())));
        }
        assertEquals(0.0, chart.panels.get(1).chart().getStyler().getYAxisMin());
        assertEquals(1.0, chart.panels.get(1).chart().getStyler().getYAxisMax());
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
            BufferedImage img = chart.render();
            assertAxesDrawn(chart, img); // also: whole numbers, each at its tick, labels apart
            XYChart c = chart.panels.get(0).chart();
            List<Tick> ticks = PaintedAxes.xTicks(c);
            assertTrue(ticks.size() >= 4, n + " steps: " + labels(ticks));
            double step = value(ticks.get(1)) - value(ticks.get(0));
            assertTrue(isRound(step), n + " steps: tick step " + step + " is 1, 2, 2.5 or 5 times a power of ten");
            for (int k = 1; k < ticks.size(); k++) {
                assertEquals(step, value(ticks.get(k)) - value(ticks.get(k - 1)), 1e-9, n + " steps: " + labels(ticks));
            }
            assertTrue(c.getStyler().getXAxisMin() <= 1 && c.getStyler().getXAxisMax() >= n, n + " steps: x axis");
            if (n == 225) save(img, "curves-225-steps.png");
        }
    }

    @Test
    void aSingleOrConstantValueGetsAShortRangeWithLabelledEnds() {
        CurvesRenderer one = Plots.renderCurves("one", List.of(Series.of("validation loss", new double[] {0.138121744791667})),
                "epoch", YAxis.of("loss"), null);
        BufferedImage img = one.render();
        assertAxesDrawn(one, img);
        XYChart c = one.panels.get(0).chart();
        assertTrue(c.getStyler().getYAxisMin() < 0.1381 && c.getStyler().getYAxisMax() > 0.1382);
        List<String> y = labels(PaintedAxes.yTicks(c));
        assertTrue(y.size() >= 2, y.toString());
        for (String label : y) {
            assertTrue(label.length() <= 5, "short tick labels, not the value in full: " + y);
        }
        assertEquals(List.of("0", "1", "2"), labels(PaintedAxes.xTicks(c)), "epoch 1 alone");

        CurvesRenderer zero = Plots.renderCurves("zero", List.of(Series.of("loss", new double[24])), "step",
                YAxis.of("loss"), null);
        assertAxesDrawn(zero, zero.render());
        assertEquals(0.0, zero.panels.get(0).chart().getStyler().getYAxisMin(),
                "a loss of 0 (an all-zero history) is not drawn below 0");
    }

    @Test
    void fixedEndsAreKeptAndLabelsGetTheDecimalsTheyNeed() {
        CurvesRenderer memory = Plots.renderCurves("memory", List.of(Series.perEpoch("resident", new double[] {811, 879, 892}),
                Series.perEpoch("heap used", new double[] {70, 72, 71})), "epoch", YAxis.fromZero("memory (MiB)"), null);
        assertAxesDrawn(memory, memory.render());
        XYChart c = memory.panels.get(0).chart();
        assertEquals(0.0, c.getStyler().getYAxisMin());
        assertTrue(c.getStyler().getYAxisMax() >= 892);
        assertEquals("0", labels(PaintedAxes.yTicks(c)).get(0), "memory labelled from 0");
        assertEquals(List.of("1", "2", "3"), labels(PaintedAxes.xTicks(c)));

        List<String> thousands = yLabels(900, 14_000);
        assertTrue(thousands.contains("10,000"), "grouped thousands: " + thousands);
        List<String> loss = yLabels(0.82, 1.74);
        assertTrue(loss.stream().allMatch(l -> l.matches("\\d\\.\\d")), "one decimal for a loss from 0.82 to 1.74: " + loss);
        List<String> small = yLabels(0.00012, 0.00015);
        for (String label : small) {
            assertTrue(label.matches("0\\.000\\d{2,3}"), "as many decimals as the step needs: " + small);
        }
    }

    @Test
    void nonFiniteValuesLeaveAGap() {
        double[] diverged = {1.0, 0.8, Double.NaN, Double.POSITIVE_INFINITY, 0.5};
        CurvesRenderer chart = Plots.renderCurves("diverged", List.of(Series.of("val", diverged)), "epoch", YAxis.of("loss"), null);
        assertAxesDrawn(chart, chart.render());
        XYChart c = chart.panels.get(0).chart();
        assertTrue(c.getStyler().getYAxisMax() < 10, "the range follows the finite values");
        double[] drawn = c.getSeriesMap().get("val").getYData();
        assertTrue(Double.isNaN(drawn[2]) && Double.isNaN(drawn[3]), "NaN, which XChart leaves as a gap");
        assertEquals(0.8, drawn[1]);
        assertEquals(0.5, drawn[4]);
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

    /** The y tick labels of a chart of one series from {@code lo} to {@code hi}. */
    static List<String> yLabels(double lo, double hi) {
        CurvesRenderer chart = Plots.renderCurves("t", List.of(Series.of("v", new double[] {lo, (lo + hi) / 2, hi})),
                "epoch", YAxis.of("value"), null);
        assertAxesDrawn(chart, chart.render());
        return labels(PaintedAxes.yTicks(chart.panels.get(0).chart()));
    }

    static List<String> labels(List<Tick> ticks) {
        return ticks.stream().map(Tick::label).toList();
    }

    static double value(Tick t) {
        return Double.parseDouble(t.label().replace(",", ""));
    }

    static boolean isRound(double step) {
        double m = step / Math.pow(10, Math.floor(Math.log10(step)));
        for (double nice : new double[] {1, 2, 2.5, 5}) {
            if (Math.abs(m - nice) < 1e-9) return true;
        }
        return false;
    }

    /**
     * For every panel of the rendered picture: both axes have at least two tick labels; under the plot each
     * x label is a separate run of dark columns containing its tick, and left of it each y label a run of
     * dark rows containing its tick, with free space between neighbours (so none overlap or run together);
     * each label's value sits at its tick (a label "1" at x = 1, not at 0.5); the axis titles (the y one
     * turned), the legend and the picture's title are drawn.
     */
    static void assertAxesDrawn(CurvesRenderer chart, BufferedImage img) {
        if (!chart.title.isEmpty()) {
            assertTrue(dark(img, new Rectangle(0, 0, chart.width, chart.titleHeight)) > 20, "title drawn");
        }
        for (int i = 0; i < chart.panels.size(); i++) {
            Panel p = chart.panels.get(i);
            XYChart c = p.chart();
            String where = "panel " + i + " (" + c.getYAxisTitle() + ")";
            Rectangle area = new Rectangle(p.x(), p.y(), c.getWidth(), c.getHeight());
            assertTrue(new Rectangle(0, 0, img.getWidth(), img.getHeight()).contains(area), where + " inside the picture");
            List<Tick> xs = PaintedAxes.xTicks(c), ys = PaintedAxes.yTicks(c);
            assertTrue(xs.size() >= 2 && ys.size() >= 2, where + ": ticks " + labels(xs) + " / " + labels(ys));

            Rectangle xBand = shift(PaintedAxes.xTickLabels(c), p);
            List<int[]> xRuns = darkRuns(img, new Rectangle(area.x, xBand.y, area.width, xBand.height), true, 6);
            assertLabelRuns(where + " x", xs, xRuns, p.x(), 10);
            Rectangle yBand = shift(PaintedAxes.yTickLabels(c), p);
            List<int[]> yRuns = darkRuns(img, new Rectangle(yBand.x, yBand.y - 10, yBand.width, yBand.height + 20), false, 2);
            List<Tick> topDown = new ArrayList<>(ys);
            java.util.Collections.reverse(topDown);
            assertLabelRuns(where + " y", topDown, yRuns, p.y(), 4);
            for (Tick t : xs) {
                assertEquals(c.getScreenXFromChart(value(t)), t.pixel(), 1.0, where + ": x label " + t + " at its value");
            }
            for (Tick t : ys) {
                assertEquals(c.getScreenYFromChart(value(t)), t.pixel(), 1.0, where + ": y label " + t + " at its value");
            }

            Rectangle xTitle = shift(PaintedAxes.xTitle(c), p), yTitle = shift(PaintedAxes.yTitle(c), p);
            assertTrue(dark(img, xTitle) >= 3 * c.getXAxisTitle().length(), where + ": x title drawn in " + xTitle);
            assertTrue(dark(img, yTitle) >= 3 * c.getYAxisTitle().length(), where + ": y title drawn in " + yTitle);
            assertTrue(yTitle.height > yTitle.width && yTitle.x + yTitle.width <= yBand.x + 1, where + ": y title turned, left of the labels: " + yTitle + ", labels " + yBand);
            assertTrue(xTitle.y >= xBand.y + xBand.height - 1, where + ": x title under the labels");
            Rectangle legend = new Rectangle(area.x, xTitle.y + xTitle.height, area.width, area.y + area.height - xTitle.y - xTitle.height);
            assertTrue(dark(img, legend) >= 20 * c.getSeriesMap().size(), where + ": legend drawn under the x title, in " + legend);
            for (Rectangle r : List.of(xBand, yBand, xTitle, yTitle)) {
                assertTrue(area.contains(r), where + ": " + r + " inside the panel " + area);
            }
        }
    }

    /** One run per label, in order, each containing its tick's pixel, at least {@code gap} px apart. */
    private static void assertLabelRuns(String where, List<Tick> ticks, List<int[]> runs, int offset, int gap) {
        List<String> found = runs.stream().map(r -> r[0] + "-" + r[1]).toList();
        assertEquals(ticks.size(), runs.size(), where + ": one run of dark pixels per label " + labels(ticks) + ", found " + found);
        for (int k = 0; k < ticks.size(); k++) {
            double at = offset + ticks.get(k).pixel();
            int[] r = runs.get(k);
            assertTrue(r[0] - 1 <= at && at <= r[1] + 1, where + ": label '" + ticks.get(k).label() + "' at its tick " + at + ", found " + found);
            if (k > 0) {
                assertTrue(r[0] - runs.get(k - 1)[1] > gap, where + ": labels " + labels(ticks) + " at least " + gap + " px apart, found " + found);
            }
        }
    }

    /**
     * Runs of columns ({@code alongX}) or rows of {@code area} that hold a dark pixel, as {first, last}; runs
     * less than {@code merge} px apart are one (the letters of a label).
     */
    static List<int[]> darkRuns(BufferedImage img, Rectangle area, boolean alongX, int merge) {
        Rectangle a = area.intersection(new Rectangle(0, 0, img.getWidth(), img.getHeight()));
        List<int[]> runs = new ArrayList<>();
        int from = alongX ? a.x : a.y, to = from + (alongX ? a.width : a.height);
        for (int i = from; i < to; i++) {
            boolean dark = false;
            for (int j = alongX ? a.y : a.x; j < (alongX ? a.y + a.height : a.x + a.width) && !dark; j++) {
                dark = PlotsTest.luminance(img.getRGB(alongX ? i : j, alongX ? j : i) & 0xFFFFFF) < 128;
            }
            if (!dark) continue;
            if (!runs.isEmpty() && i - runs.get(runs.size() - 1)[1] <= merge) {
                runs.get(runs.size() - 1)[1] = i;
            } else {
                runs.add(new int[] {i, i});
            }
        }
        return runs;
    }

    static int dark(BufferedImage img, Rectangle r) {
        int n = 0;
        for (int y = Math.max(0, r.y); y < Math.min(img.getHeight(), r.y + r.height); y++) {
            for (int x = Math.max(0, r.x); x < Math.min(img.getWidth(), r.x + r.width); x++) {
                if (PlotsTest.luminance(img.getRGB(x, y) & 0xFFFFFF) < 128) n++;
            }
        }
        return n;
    }

    private static Rectangle shift(Rectangle2D r, Panel p) {
        Rectangle b = r.getBounds();
        b.translate(p.x(), p.y());
        return b;
    }

    static void save(BufferedImage img, String name) throws IOException {
        Files.createDirectories(PlotsTest.PREVIEW);
        ImageIO.write(img, "png", PlotsTest.PREVIEW.resolve(name).toFile());
    }
}
