package org.brainstate4j.report;

import static org.brainstate4j.Checks.checkArgument;
import static org.brainstate4j.report.Drawing.LABEL_FONT;
import static org.brainstate4j.report.Drawing.TITLE_FONT;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts of {@link Series} with XChart: one {@link XYChart} per panel, side by side under a shared
 * title: the series on the left axis in one panel, those marked {@link Series#onRightAxis()} (e.g. accuracy
 * beside a loss) in a second one with its own y axis. A panel per axis, not XChart's second y axis, whose
 * ticks XChart computes from the y values of every series, so a 0-1 metric beside a loss got no labels.
 *
 * <p>Both panels share the x range, so epochs line up. An x axis whose data reach 1 (epochs, steps) runs
 * between whole numbers and is labelled at whole numbers only; y ranges come from the {@link YAxis} (a NaN
 * end follows the data); labels get as many decimals as the range needs, and XChart spaces the ticks by
 * {@link #X_TICK_SPACING} and {@link #Y_TICK_SPACING}, so labels do not crowd.
 */
final class CurvesRenderer {
    /** Line colours (Tableau 10), given out in series order across panels. */
    private static final Color[] LINE_COLOURS = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
    };
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    static final int CURVES_WIDTH = 900;
    static final int CURVES_HEIGHT = 540;
    /** Width of a picture with two panels. */
    static final int TWO_PANEL_WIDTH = 1240;
    /**
     * XChart's tick spacing hints, px: it takes the round step (1, 2 or 5 times a power of ten) nearest to
     * the hint, so ticks lie at least 0.57 times the hint apart (x: 57 px, room for "12,000" and a gap).
     */
    static final int X_TICK_SPACING = 100;
    static final int Y_TICK_SPACING = 60;
    private static final int MARKER_MAX_POINTS = 60;

    /** One panel: its chart and where its top left corner lies in the picture. */
    record Panel(XYChart chart, int x, int y) {}

    final int width;
    final int height;
    /** The shared title, drawn above the panels; blank for none. */
    final String title;
    /** Height of the band the title is drawn in (0 without a title). */
    final int titleHeight;
    final List<Panel> panels;

    /**
     * @param left  axis of the series not marked {@link Series#onRightAxis()}; may be null when there are none
     * @param right axis of the series marked {@link Series#onRightAxis()}, drawn as a second panel; may be
     *              null when there are none
     */
    CurvesRenderer(String title, List<Series> series, String xLabel, YAxis left, YAxis right) {
        checkArgument(series != null && !series.isEmpty(), "series must not be empty (got %s)",
                series == null ? "null" : "0 series");
        Set<String> names = new HashSet<>();
        List<Series> leftSeries = new ArrayList<>(), rightSeries = new ArrayList<>();
        double[] xRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            checkArgument(s != null, "series must not contain null");
            checkArgument(names.add(s.name()), "series names must be unique, '%s' appears twice", s.name());
            checkArgument(range(s.x(), s.y(), xRange), "series '%s' has no finite points (%d values, all NaN or infinite)",
                    s.name(), s.y().length);
            (s.rightAxis() ? rightSeries : leftSeries).add(s);
        }
        checkArgument(xLabel != null && !xLabel.isBlank(), "xLabel must not be blank, got '%s'", xLabel);
        checkArgument(leftSeries.isEmpty() || left != null, "series '%s' is on the left axis but the left axis is null",
                leftSeries.isEmpty() ? "" : leftSeries.get(0).name());
        checkArgument(rightSeries.isEmpty() || right != null, "series '%s' is on the right axis but the right axis is "
                + "null (give its title)", rightSeries.isEmpty() ? "" : rightSeries.get(0).name());
        int n = (leftSeries.isEmpty() ? 0 : 1) + (rightSeries.isEmpty() ? 0 : 1);
        this.width = n == 1 ? CURVES_WIDTH : TWO_PANEL_WIDTH;
        this.height = CURVES_HEIGHT;
        this.title = title == null ? "" : title.strip();
        this.titleHeight = this.title.isEmpty() ? 0 : 34;
        double[] x = xAxisRange(xRange[0], xRange[1]);
        List<Panel> ps = new ArrayList<>();
        if (!leftSeries.isEmpty()) {
            ps.add(new Panel(chart(width / n, xLabel, x, left, leftSeries, 0), 0, titleHeight));
        }
        if (!rightSeries.isEmpty()) {
            ps.add(new Panel(chart(width / n, xLabel, x, right, rightSeries, leftSeries.size()), width - width / n,
                    titleHeight));
        }
        this.panels = List.copyOf(ps);
    }

    /** The panels, each rendered by XChart, side by side under the title. */
    BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Drawing.canvas(img);
        try {
            for (Panel p : panels) {
                g.drawImage(BitmapEncoder.getBufferedImage(p.chart()), p.x(), p.y(), null);
            }
            if (!title.isEmpty()) {
                g.setFont(TITLE_FONT);
                g.setColor(Color.BLACK);
                FontMetrics m = g.getFontMetrics();
                String s = Drawing.ellipsize(title, m, width - 24);
                g.drawString(s, (width - m.stringWidth(s)) / 2, 12 + m.getAscent());
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private XYChart chart(int panelWidth, String xLabel, double[] x, YAxis axis, List<Series> series, int firstColour) {
        XYChart chart = new XYChartBuilder().width(panelWidth).height(height - titleHeight).xAxisTitle(xLabel)
                .yAxisTitle(axis.title()).build();
        XYStyler st = chart.getStyler();
        st.setChartTitleVisible(false);
        st.setLocale(Locale.ROOT);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(new Color(0xBB, 0xBB, 0xBB));
        st.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
        st.setPlotGridLinesStroke(new BasicStroke(1f));
        st.setAxisTicksLineVisible(false); // the plot's frame is the axis line
        st.setAxisTitleFont(AXIS_TITLE_FONT);
        st.setAxisTickLabelsFont(LABEL_FONT);
        st.setAxisTickLabelsColor(new Color(0x33, 0x33, 0x33));
        st.setLegendFont(LEGEND_FONT);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setLegendPadding(16); // entries apart, not run together
        st.setMarkerSize(6);
        st.setChartPadding(12);
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        st.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        st.setXAxisTickMarkSpacingHint(X_TICK_SPACING);
        st.setYAxisTickMarkSpacingHint(Y_TICK_SPACING);

        st.setXAxisMin(x[0]);
        st.setXAxisMax(x[1]);
        if (x[1] - x[0] >= 1 && x[0] == Math.rint(x[0]) && x[1] == Math.rint(x[1])) {
            // Whole numbers only (epochs, steps): a label "" makes the labels of any finer step repeat, which
            // XChart refuses, so its ticks fall on whole numbers, never at 0.5 labelled "1".
            st.setxAxisTickLabelsFormattingFunction(v -> Math.abs(v - Math.rint(v)) < 1e-9
                    ? String.format(Locale.ROOT, "%,d", Math.round(v)) : "");
        } else {
            st.setXAxisDecimalPattern(tickPattern(x[0], x[1]));
        }
        double[] yData = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            range(s.y(), s.x(), yData);
        }
        double[] y = yAxisRange(axis, yData[0], yData[1]);
        st.setYAxisMin(y[0]);
        st.setYAxisMax(y[1]);
        st.setYAxisDecimalPattern(tickPattern(y[0], y[1]));

        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            double[] sx = s.x(), sy = s.y();
            int finite = 0;
            // Non-finite points become NaN, which XChart leaves as a gap in the line. One more point (NaN, NaN)
            // at the end draws nothing but keeps XChart from its "equally spaced values" ticks (a tick at every
            // few data points, wherever they fall, ignoring the spacing hint): NaN is never equally spaced.
            double[] px = new double[sx.length + 1], py = new double[sy.length + 1];
            for (int i = 0; i < sy.length; i++) {
                boolean ok = Double.isFinite(sx[i]) && Double.isFinite(sy[i]);
                finite += ok ? 1 : 0;
                px[i] = Double.isFinite(sx[i]) ? sx[i] : Double.NaN;
                py[i] = ok ? sy[i] : Double.NaN;
            }
            px[sx.length] = Double.NaN;
            py[sy.length] = Double.NaN;
            XYSeries xs = chart.addSeries(s.name(), px, py);
            Color colour = LINE_COLOURS[(firstColour + k) % LINE_COLOURS.length];
            xs.setLineColor(colour);
            xs.setMarkerColor(colour);
            xs.setMarker(finite <= MARKER_MAX_POINTS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            xs.setLineStyle(new BasicStroke(finite > 300 ? 1.2f : 2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        return chart;
    }

    /**
     * The x range: between whole numbers once the data reach 1 (epochs 0.03..2 run from 0 to 2; epoch 1
     * alone from 0 to 2), else the data's range (around a single value, 10 % either side).
     */
    static double[] xAxisRange(double lo, double hi) {
        if (hi >= 1) {
            double a = Math.floor(lo), b = Math.ceil(hi);
            return a < b ? new double[] {a, b} : new double[] {a - 1, a + 1};
        }
        double d = hi > lo ? 0 : lo != 0 ? Math.abs(lo) * 0.1 : 1;
        return new double[] {lo - d, hi + d};
    }

    /**
     * The y range of data in [{@code lo}, {@code hi}] on {@code axis}: its fixed ends, the data's otherwise.
     * One value (a single epoch's metric, a constant loss) or data beyond a fixed end get a short range:
     * from a fixed end by its size (or 1), else 10 % either side of the value (a whole number: 1), not below 0
     * for values that are not.
     */
    static double[] yAxisRange(YAxis axis, double lo, double hi) {
        boolean fixedMin = !Double.isNaN(axis.min()), fixedMax = !Double.isNaN(axis.max());
        if (fixedMin) lo = axis.min();
        if (fixedMax) hi = axis.max();
        if (hi > lo) return new double[] {lo, hi};
        if (fixedMin) return new double[] {lo, lo + (lo != 0 ? Math.abs(lo) : 1)};
        if (fixedMax) return new double[] {hi - (hi != 0 ? Math.abs(hi) : 1), hi};
        double v = lo, d = v == Math.rint(v) ? 1 : Math.abs(v) * 0.1;
        return new double[] {v >= 0 && v - d < 0 ? 0 : v - d, v + d};
    }

    /**
     * Decimal pattern for the ticks of an axis from {@code min} to {@code max}: as many decimals as tell
     * ticks a fifth of the range apart (0 to 1: "0.0", "0.2", ...; 0.82 to 1.74: "0.9", "1.0", not "1.00"), at
     * most 8, the same on every tick. A finer step would repeat labels, which XChart refuses, so it picks a
     * step the labels can show.
     */
    static String tickPattern(double min, double max) {
        int decimals = (int) Math.ceil(-Math.log10((max - min) / 5));
        decimals = Math.max(0, Math.min(8, decimals));
        return decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals);
    }

    /**
     * Widens {@code r} = {min, max} by the finite values of {@code v} whose partner in {@code other} is finite;
     * false if there are none.
     */
    private static boolean range(double[] v, double[] other, double[] r) {
        boolean any = false;
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i]) && Double.isFinite(other[i])) {
                r[0] = Math.min(r[0], v[i]);
                r[1] = Math.max(r[1], v[i]);
                any = true;
            }
        }
        return any;
    }
}
