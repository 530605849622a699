package org.knowm.xchart.internal.chartpart;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.XYChart;

/**
 * Test access to what XChart computed the last time it painted a chart (package-private there): the tick
 * labels it drew, with their positions in the chart's pixels, and the areas of the plot, the tick labels
 * and the axis titles. Tests read the rendered picture at these places.
 */
public final class PaintedAxes {

    /** A drawn tick label and the pixel of its tick: x for the x axis, y for a y axis. */
    public record Tick(String label, double pixel) {}

    private PaintedAxes() {}

    /** The x axis's tick labels that XChart drew (inside the axis, not blank), left to right. */
    public static List<Tick> xTicks(XYChart chart) {
        Axis<?, ?> axis = c(chart).getXAxis();
        Rectangle2D b = axis.getBounds();
        return ticks(axis, p -> b.getX() + p, b.getX(), b.getX() + b.getWidth());
    }

    /** The y axis's tick labels that XChart drew, bottom to top. */
    public static List<Tick> yTicks(XYChart chart) {
        Axis<?, ?> axis = c(chart).getYAxis();
        Rectangle2D b = axis.getBounds();
        return ticks(axis, p -> b.getY() + b.getHeight() - p, b.getY(), b.getY() + b.getHeight());
    }

    public static Rectangle2D plot(XYChart chart) {
        return c(chart).getPlot().getBounds();
    }

    public static Rectangle2D xTickLabels(XYChart chart) {
        return c(chart).getXAxis().getAxisTick().getAxisTickLabels().getBounds();
    }

    public static Rectangle2D yTickLabels(XYChart chart) {
        return c(chart).getYAxis().getAxisTick().getAxisTickLabels().getBounds();
    }

    public static Rectangle2D xTitle(XYChart chart) {
        return c(chart).getXAxis().getAxisTitle().getBounds();
    }

    public static Rectangle2D yTitle(XYChart chart) {
        return c(chart).getYAxis().getAxisTitle().getBounds();
    }

    /** The chart as a {@link Chart}, whose package-private accessors XYChart (another package) does not inherit. */
    private static Chart<?, ?> c(XYChart chart) {
        return chart;
    }

    private static List<Tick> ticks(Axis<?, ?> axis, java.util.function.DoubleUnaryOperator pixel, double lo, double hi) {
        AxisTickCalculator c = axis.getAxisTickCalculator();
        List<Tick> out = new ArrayList<>();
        for (int i = 0; i < c.getTickLabels().size(); i++) {
            String label = c.getTickLabels().get(i);
            double p = pixel.applyAsDouble(c.getTickLocations().get(i));
            if (label != null && !label.isBlank() && p > lo && p < hi) { // as XChart's AxisTickLabels decides
                out.add(new Tick(label, p));
            }
        }
        return out;
    }
}
