package org.brainstate4j.report;

import static org.brainstate4j.report.Drawing.LABEL_FONT;
import static org.brainstate4j.report.Drawing.TITLE_FONT;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts of {@link Series} with XChart, styled for reports: whole-number epoch ticks, short decimals. */
final class CurvesRenderer {
    /** Line colours (Tableau 10). */
    private static final Color[] LINE_COLOURS = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
    };

    static final int CURVES_WIDTH = 900;
    static final int CURVES_HEIGHT = 540;

    private CurvesRenderer() {}

    static BufferedImage render(String title, List<Series> series, String xLabel, String yLabel,
                                String rightYLabel) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("series must not be empty (got " + (series == null ? "null" : "0 series") + ")");
        }
        Set<String> names = new HashSet<>();
        boolean anyRight = false;
        for (Series s : series) {
            if (s == null) {
                throw new IllegalArgumentException("series must not contain null");
            }
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("series names must be unique, '" + s.name() + "' appears twice");
            }
            anyRight |= s.rightAxis();
        }
        XYChart chart = new XYChartBuilder().width(CURVES_WIDTH).height(CURVES_HEIGHT)
                .title(title == null ? "" : title).xAxisTitle(xLabel == null ? "" : xLabel)
                .yAxisTitle(yLabel == null ? "" : yLabel).build();
        XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(new Color(0xBB, 0xBB, 0xBB));
        st.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
        st.setChartTitleBoxVisible(false);
        st.setChartTitleFont(TITLE_FONT);
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(LABEL_FONT);
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setSeriesColors(LINE_COLOURS);
        st.setMarkerSize(6);
        st.setChartPadding(12);
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        if (anyRight) {
            st.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.setYAxisGroupTitle(0, yLabel == null ? "" : yLabel);
            chart.setYAxisGroupTitle(1, rightYLabel == null ? "" : rightYLabel);
        }
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double[][] yRange = {{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}};
        for (Series s : series) {
            double[] x = s.x(), y = s.y();
            int finite = 0;
            for (int i = 0; i < y.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) finite++;
            }
            if (finite == 0) {
                throw new IllegalArgumentException("series '" + s.name() + "' has no finite points (" + y.length
                        + " values, all NaN or infinite)");
            }
            double[] fx = new double[finite], fy = new double[finite];
            for (int i = 0, j = 0; i < y.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                    fx[j] = x[i];
                    fy[j++] = y[i];
                    minX = Math.min(minX, x[i]);
                    maxX = Math.max(maxX, x[i]);
                    double[] r = yRange[s.rightAxis() ? 1 : 0];
                    r[0] = Math.min(r[0], y[i]);
                    r[1] = Math.max(r[1], y[i]);
                }
            }
            XYSeries xs = chart.addSeries(s.name(), fx, fy);
            xs.setMarker(finite <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            xs.setLineStyle(new BasicStroke(finite > 300 ? 1.2f : 2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            if (s.rightAxis()) {
                xs.setYAxisGroup(1);
            }
        }
        // Whole-number x range (fractional epochs 0.008..5 become 0..5), so XChart picks round ticks
        // instead of labels such as ".008333333"; short decimals only.
        double lo = Math.floor(minX), hi = Math.ceil(maxX);
        if (hi > lo) {
            st.setXAxisMin(lo);
            st.setXAxisMax(hi);
        }
        st.setXAxisDecimalPattern("#,##0.##");
        if (hi - lo >= 2) {
            // XChart ignores the spacing hint and crowds ~30 labels (0.3, 0.6, ...) onto an epoch axis;
            // labelling whole numbers only makes it place its ticks there.
            st.setxAxisTickLabelsFormattingFunction(v -> Math.abs(v - Math.rint(v)) < 1e-9 ? String.format("%,d", (long) Math.rint(v)) : "");
        }
        for (int group = 0; group < 2; group++) {
            double yLo = yRange[group][0], yHi = yRange[group][1];
            if (yLo > yHi) continue; // no series on this axis
            if (yHi - yLo <= 1e-12 * Math.max(1, Math.abs(yHi))) {
                // One value (e.g. a single epoch's validation metric): XChart would label the axis with that
                // value in full (0.138121744791667) whatever the pattern. Span the round interval around it
                // (0.1 to 0.2), whose ends XChart labels.
                double step = yHi == 0 ? 1 : Math.pow(10, Math.floor(Math.log10(Math.abs(yHi))));
                yLo = Math.floor(yHi / step) * step;
                if (yLo == yHi) yLo -= step;
                yHi = yLo + (yLo + step > yHi ? step : 2 * step);
                st.setYAxisMin(group, yLo);
                st.setYAxisMax(group, yHi);
            }
            st.putYAxisGroupDecimalPatternMap(group, tickPattern(yLo, yHi));
        }
        st.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Decimal pattern for the ticks of an axis whose data spans {@code [min, max]}: enough decimals to
     * tell ticks a tenth of the span apart, or (one value) three significant digits, at most 8.
     */
    static String tickPattern(double min, double max) {
        double span = max - min, magnitude = Math.max(Math.abs(min), Math.abs(max));
        int decimals;
        if (span > 1e-12 * Math.max(1, magnitude)) {
            decimals = (int) Math.ceil(-Math.log10(span / 10));
        } else {
            decimals = magnitude > 0 ? 2 - (int) Math.floor(Math.log10(magnitude)) : 0;
        }
        decimals = Math.max(0, Math.min(8, decimals));
        return decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals);
    }
}
