package org.brainstate4j.report;

import static org.brainstate4j.report.Drawing.LABEL_FONT;
import static org.brainstate4j.report.Drawing.TITLE_FONT;
import static org.brainstate4j.report.Drawing.ellipsize;
import static org.brainstate4j.report.Drawing.scratch;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Line charts of {@link Series} drawn with java.awt: one panel, or two side by side when some series are
 * marked {@link Series#onRightAxis()} (e.g. a loss on the left, accuracy on its own 0-1 axis on the
 * right). Every panel has a titled x and y axis with labelled ticks at round values (whole numbers on an x
 * axis whose data reach 1, e.g. epochs) spaced so that labels never overlap, grid lines, and a legend of its
 * series under it.
 *
 * <p>The constructor validates and lays out everything; {@link #panels} (axes, ticks, plot rectangles) and
 * {@link #texts} (every piece of text with the box it occupies) describe the picture that {@link #render}
 * draws, so tests can check the axes without reading pixels, and read the pixels where the text should be.
 *
 * <p>Why not XChart (used before): a second y axis got no tick labels at all (its tick calculator reads the
 * y values of every series, whatever their axis), equally spaced x values got a tick at every few data
 * points with labels running into each other ("105109113"), and the ticks it computes are not visible to
 * a test.
 */
final class CurvesRenderer {
    /** Line colours (Tableau 10), given out in series order across panels. */
    private static final Color[] LINE_COLOURS = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
    };
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color FRAME = new Color(0xBB, 0xBB, 0xBB);
    private static final Color GRID = new Color(0xE6, 0xE6, 0xE6);
    private static final Color TICK_MARK = new Color(0x88, 0x88, 0x88);
    private static final Color TICK_TEXT = new Color(0x33, 0x33, 0x33);

    static final int CURVES_WIDTH = 900;
    static final int CURVES_HEIGHT = 540;
    /** Width of a picture with two panels. */
    static final int TWO_PANEL_WIDTH = 1240;

    private static final int PAD = 14;
    private static final int TICK_LENGTH = 5;
    /** Least free space between neighbouring x tick labels, px. */
    private static final int X_LABEL_GAP = 24;
    /** Least distance between y ticks, px. */
    private static final int Y_TICK_SPACING = 40;
    private static final int MARKER_MAX_POINTS = 60;

    enum TextKind { TITLE, AXIS_TITLE, TICK_LABEL, LEGEND }

    /**
     * One piece of text: drawn with {@code font} from baseline origin ({@code x}, {@code y}), turned a quarter
     * counter-clockwise about that origin if {@code rotated}; {@code box} is the area it covers.
     */
    record Text(TextKind kind, String text, Font font, int x, int y, boolean rotated, Rectangle box) {}

    /** A labelled tick at {@code value}. */
    record Tick(double value, String label) {}

    /** An axis: title, the range it shows, and its labelled ticks (all within the range). */
    record Axis(String title, double min, double max, List<Tick> ticks) {
        Axis {
            ticks = List.copyOf(ticks);
        }
    }

    /**
     * One panel: the plot area in pixels, its axes, the series drawn in it with their colours, and their
     * legend entries (in series order; also in {@link #texts}).
     */
    record Panel(Rectangle plot, Axis x, Axis y, List<Series> series, List<Color> colours, List<Text> legend) {
        Panel {
            series = List.copyOf(series);
            colours = List.copyOf(colours);
            legend = List.copyOf(legend);
        }

        int xPixel(double v) {
            return (int) Math.round(plot.x + (v - x.min()) / (x.max() - x.min()) * plot.width);
        }

        int yPixel(double v) {
            return (int) Math.round(plot.y + plot.height - (v - y.min()) / (y.max() - y.min()) * plot.height);
        }
    }

    final int width;
    final int height;
    final List<Panel> panels;
    final List<Text> texts;

    /**
     * @param right axis of the series marked {@link Series#onRightAxis()}, drawn as a second panel; may be
     *              null when there are none
     */
    CurvesRenderer(String title, List<Series> series, String xLabel, YAxis left, YAxis right) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("series must not be empty (got " + (series == null ? "null" : "0 series") + ")");
        }
        Set<String> names = new HashSet<>();
        List<Series> leftSeries = new ArrayList<>(), rightSeries = new ArrayList<>();
        List<Color> leftColours = new ArrayList<>(), rightColours = new ArrayList<>();
        for (Series s : series) {
            if (s == null) {
                throw new IllegalArgumentException("series must not contain null");
            }
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("series names must be unique, '" + s.name() + "' appears twice");
            }
            if (finiteCount(s) == 0) {
                throw new IllegalArgumentException("series '" + s.name() + "' has no finite points (" + s.y().length
                        + " values, all NaN or infinite)");
            }
            Color colour = LINE_COLOURS[(leftSeries.size() + rightSeries.size()) % LINE_COLOURS.length];
            (s.rightAxis() ? rightSeries : leftSeries).add(s);
            (s.rightAxis() ? rightColours : leftColours).add(colour);
        }
        if (xLabel == null || xLabel.isBlank()) {
            throw new IllegalArgumentException("xLabel must not be blank, got '" + xLabel + "'");
        }
        if (!leftSeries.isEmpty() && left == null) {
            throw new IllegalArgumentException("series '" + leftSeries.get(0).name() + "' is on the left axis but the "
                    + "left axis is null");
        }
        if (!rightSeries.isEmpty() && right == null) {
            throw new IllegalArgumentException("series '" + rightSeries.get(0).name() + "' is on the right axis but the "
                    + "right axis is null (give its title)");
        }
        List<List<Series>> panelSeries = new ArrayList<>();
        List<List<Color>> panelColours = new ArrayList<>();
        List<YAxis> panelAxes = new ArrayList<>();
        if (!leftSeries.isEmpty()) {
            panelSeries.add(leftSeries);
            panelColours.add(leftColours);
            panelAxes.add(left);
        }
        if (!rightSeries.isEmpty()) {
            panelSeries.add(rightSeries);
            panelColours.add(rightColours);
            panelAxes.add(right);
        }

        int n = panelSeries.size();
        this.width = n == 1 ? CURVES_WIDTH : TWO_PANEL_WIDTH;
        this.height = CURVES_HEIGHT;
        List<Text> out = new ArrayList<>();
        Graphics2D g = scratch();
        try {
            int top = layoutTitle(g, title == null ? "" : title, out);
            // x ranges are shared by both panels, so the epochs line up
            double[] xRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (Series s : series) {
                range(s.x(), s.y(), xRange);
            }
            int panelWidth = width / n;
            List<Panel> ps = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                ps.add(layoutPanel(g, p * panelWidth, panelWidth, top, xLabel, xRange, panelAxes.get(p),
                        panelSeries.get(p), panelColours.get(p), out));
            }
            this.panels = List.copyOf(ps);
        } finally {
            g.dispose();
        }
        this.texts = List.copyOf(out);
    }

    // =============================================================================================
    // layout

    /** The title, shrunk (down to 12 pt) or cut to fit; returns the y where the panels start. */
    private int layoutTitle(Graphics2D g, String title, List<Text> out) {
        if (title.isBlank()) {
            return PAD;
        }
        Font f = TITLE_FONT;
        while (f.getSize() > 12 && g.getFontMetrics(f).stringWidth(title) > width - 2 * PAD) {
            f = f.deriveFont((float) f.getSize() - 1);
        }
        FontMetrics m = g.getFontMetrics(f);
        String s = ellipsize(title, m, width - 2 * PAD);
        int x = (width - m.stringWidth(s)) / 2, y = PAD + m.getAscent();
        out.add(new Text(TextKind.TITLE, s, f, x, y, false, new Rectangle(x, PAD, m.stringWidth(s), m.getHeight())));
        return PAD + m.getHeight() + 6;
    }

    private Panel layoutPanel(Graphics2D g, int x0, int panelWidth, int top, String xLabel, double[] xData,
                              YAxis yAxis, List<Series> series, List<Color> colours, List<Text> out) {
        FontMetrics lm = g.getFontMetrics(LABEL_FONT);
        FontMetrics am = g.getFontMetrics(AXIS_TITLE_FONT);
        FontMetrics gm = g.getFontMetrics(LEGEND_FONT);

        // legend at the bottom: entries (line sample + name) flowing over as many lines as they need
        int sample = 26, entryGap = 18, lineHeight = gm.getHeight() + 4;
        int legendWidth = panelWidth - 2 * PAD;
        List<String> entries = new ArrayList<>();
        List<int[]> at = new ArrayList<>(); // x offset, line
        int lx = 0, line = 0;
        for (Series s : series) {
            String name = ellipsize(s.name(), gm, legendWidth - sample - 6);
            int w = sample + 6 + gm.stringWidth(name);
            if (lx > 0 && lx + w > legendWidth) {
                lx = 0;
                line++;
            }
            entries.add(name);
            at.add(new int[] {lx, line});
            lx += w + entryGap;
        }
        int legendHeight = (line + 1) * lineHeight;

        int plotTop = top + 10; // room for half of the top y tick label
        int plotBottom = height - PAD - legendHeight - 10 - am.getHeight() - 8 - lm.getHeight() - 4 - TICK_LENGTH;
        int plotHeight = plotBottom - plotTop;

        double[] yData = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            range(s.y(), s.x(), yData);
        }
        Axis y = axis(yAxis.title(), yData[0], yData[1], yAxis.min(), yAxis.max(), plotHeight, false,
                label -> lm.getHeight(), Y_TICK_SPACING - lm.getHeight());
        int yLabelWidth = 0;
        for (Tick t : y.ticks()) {
            yLabelWidth = Math.max(yLabelWidth, lm.stringWidth(t.label()));
        }
        int plotLeft = x0 + PAD + am.getHeight() + 8 + yLabelWidth + 4 + TICK_LENGTH;
        int plotRight = x0 + panelWidth - PAD - 18; // room for half of the last x tick label
        int plotWidth = plotRight - plotLeft;
        // whole numbers once the data reach 1 and span half of that (epochs 0.03..1 get ticks 0 and 1, not 0.1
        // steps), or are one whole number (epoch 1 alone)
        boolean wholeX = xData[1] >= 1 && (xData[1] - xData[0] >= 0.5 || xData[0] == xData[1] && xData[0] == Math.rint(xData[0]));
        Axis x = axis(xLabel, xData[0], xData[1], Double.NaN, Double.NaN, plotWidth, wholeX, lm::stringWidth,
                X_LABEL_GAP);
        Rectangle plot = new Rectangle(plotLeft, plotTop, plotWidth, plotHeight);
        Panel panel = new Panel(plot, x, y, series, colours, List.of()); // for the pixel mapping

        // tick labels
        for (Tick t : y.ticks()) {
            int py = panel.yPixel(t.value());
            int w = lm.stringWidth(t.label());
            int tx = plotLeft - TICK_LENGTH - 4 - w, baseline = py + (lm.getAscent() - lm.getDescent()) / 2;
            out.add(new Text(TextKind.TICK_LABEL, t.label(), LABEL_FONT, tx, baseline, false,
                    new Rectangle(tx, baseline - lm.getAscent(), w, lm.getAscent() + lm.getDescent())));
        }
        int labelTop = plotBottom + TICK_LENGTH + 4;
        for (Tick t : x.ticks()) {
            int w = lm.stringWidth(t.label());
            int tx = panel.xPixel(t.value()) - w / 2;
            tx = Math.max(x0 + 2, Math.min(tx, x0 + panelWidth - 2 - w)); // never past the panel's edges
            out.add(new Text(TextKind.TICK_LABEL, t.label(), LABEL_FONT, tx, labelTop + lm.getAscent(), false,
                    new Rectangle(tx, labelTop, w, lm.getAscent() + lm.getDescent())));
        }
        // axis titles: x centred under the plot, y turned a quarter and centred beside it
        String xt = ellipsize(xLabel, am, plotWidth);
        int xtw = am.stringWidth(xt), xtTop = labelTop + lm.getHeight() + 8;
        int xtx = plotLeft + (plotWidth - xtw) / 2;
        out.add(new Text(TextKind.AXIS_TITLE, xt, AXIS_TITLE_FONT, xtx, xtTop + am.getAscent(), false,
                new Rectangle(xtx, xtTop, xtw, am.getAscent() + am.getDescent())));
        String yt = ellipsize(yAxis.title(), am, plotHeight);
        int ytw = am.stringWidth(yt), ytx = x0 + PAD + am.getAscent(), yty = plotTop + (plotHeight + ytw) / 2;
        out.add(new Text(TextKind.AXIS_TITLE, yt, AXIS_TITLE_FONT, ytx, yty, true,
                new Rectangle(ytx - am.getAscent(), yty - ytw, am.getAscent() + am.getDescent(), ytw)));
        // legend, centred under the panel (entries flow in series order, so line by line is series order)
        List<Text> legend = new ArrayList<>();
        int lines = line + 1;
        int legendTop = height - PAD - legendHeight;
        for (int l = 0; l < lines; l++) {
            int lineWidth = 0;
            for (int e = 0; e < entries.size(); e++) {
                if (at.get(e)[1] == l) {
                    lineWidth = at.get(e)[0] + sample + 6 + gm.stringWidth(entries.get(e));
                }
            }
            int left = x0 + PAD + (legendWidth - lineWidth) / 2;
            for (int e = 0; e < entries.size(); e++) {
                if (at.get(e)[1] != l) continue;
                int ex = left + at.get(e)[0] + sample + 6, ey = legendTop + l * lineHeight;
                legend.add(new Text(TextKind.LEGEND, entries.get(e), LEGEND_FONT, ex, ey + gm.getAscent(), false,
                        new Rectangle(ex, ey, gm.stringWidth(entries.get(e)), gm.getAscent() + gm.getDescent())));
            }
        }
        out.addAll(legend);
        return new Panel(plot, x, y, series, colours, legend);
    }

    /**
     * An axis over the data range [{@code lo}, {@code hi}] with fixed ends where {@code fixedMin}/{@code fixedMax}
     * are not NaN: ticks at multiples of the smallest round step (1, 2, 2.5 or 5 times a power of ten; whole
     * numbers only if {@code whole}) whose labels keep {@code gap} px apart on an axis {@code length} px long;
     * ends that follow the data are widened to the next tick, so both ends are labelled.
     *
     * @param extent a label's size along the axis, px
     */
    static Axis axis(String title, double lo, double hi, double fixedMin, double fixedMax, int length, boolean whole,
                     ToIntFunction<String> extent, int gap) {
        if (!Double.isNaN(fixedMin)) lo = fixedMin;
        if (!Double.isNaN(fixedMax)) hi = fixedMax;
        if (!(hi > lo)) { // one value (a single epoch's metric, a constant loss), or data beyond a fixed end
            if (!Double.isNaN(fixedMin)) {
                hi = lo + (lo != 0 ? Math.abs(lo) : 1);
            } else if (!Double.isNaN(fixedMax)) {
                lo = hi - (hi != 0 ? Math.abs(hi) : 1);
            } else {
                double v = lo, d = v == Math.rint(v) ? 1 : Math.abs(v) * 0.1; // epoch 1 alone: 0 to 2
                lo = v >= 0 && v - d < 0 ? 0 : v - d;
                hi = v + d;
            }
        }
        BigDecimal step = firstStep((hi - lo) / 200);
        Axis fallback = null;
        for (int attempt = 0; attempt < 64; attempt++, step = nextStep(step)) {
            if (whole && step.compareTo(BigDecimal.ONE) < 0) continue;
            BigDecimal min = Double.isNaN(fixedMin) ? multiple(lo, step, RoundingMode.FLOOR) : exact(fixedMin);
            BigDecimal max = Double.isNaN(fixedMax) ? multiple(hi, step, RoundingMode.CEILING) : exact(fixedMax);
            List<Tick> ticks = new ArrayList<>();
            int decimals = Math.max(0, step.stripTrailingZeros().scale());
            for (BigDecimal v = multiple(min.doubleValue(), step, RoundingMode.CEILING); v.compareTo(max) <= 0;
                 v = v.add(step)) {
                ticks.add(new Tick(v.doubleValue(), label(v, decimals)));
            }
            double span = max.doubleValue() - min.doubleValue();
            Axis a = new Axis(title, min.doubleValue(), max.doubleValue(), ticks);
            if (ticks.size() < 2) {
                if (fallback == null && !ticks.isEmpty()) fallback = a;
                continue;
            }
            double pixels = step.doubleValue() / span * length;
            int widest = 0;
            for (Tick t : ticks) {
                widest = Math.max(widest, extent.applyAsInt(t.label()));
            }
            if (pixels >= widest + gap) {
                return a;
            }
            fallback = a;
        }
        return fallback;
    }

    /** The largest round step (1, 2, 2.5, 5 times a power of ten) not above {@code raw}, at least 1e-12. */
    private static BigDecimal firstStep(double raw) {
        int exponent = (int) Math.floor(Math.log10(Math.max(raw, 1e-12)));
        return BigDecimal.ONE.scaleByPowerOfTen(exponent);
    }

    private static BigDecimal nextStep(BigDecimal step) {
        // step = significand (1, 2, 2.5 or 5) x 10^exp
        BigDecimal s = step.stripTrailingZeros();
        int exp = s.precision() - s.scale() - 1;
        BigDecimal power = BigDecimal.ONE.scaleByPowerOfTen(exp);
        BigDecimal sig = s.divide(power);
        if (sig.compareTo(BigDecimal.ONE) == 0) return new BigDecimal("2").multiply(power);
        if (sig.compareTo(new BigDecimal("2")) == 0) return new BigDecimal("2.5").multiply(power);
        if (sig.compareTo(new BigDecimal("2.5")) == 0) return new BigDecimal("5").multiply(power);
        return BigDecimal.TEN.multiply(power);
    }

    /** The multiple of {@code step} next to {@code v} in the given direction. */
    private static BigDecimal multiple(double v, BigDecimal step, RoundingMode mode) {
        return exact(v).divide(step, 0, mode).multiply(step);
    }

    private static BigDecimal exact(double v) {
        return new BigDecimal(Double.toString(v));
    }

    private static String label(BigDecimal v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v.setScale(decimals, RoundingMode.HALF_UP));
    }

    /** Widens {@code r} = {min, max} by the finite values of {@code v} whose partner in {@code other} is finite. */
    private static void range(double[] v, double[] other, double[] r) {
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i]) && Double.isFinite(other[i])) {
                r[0] = Math.min(r[0], v[i]);
                r[1] = Math.max(r[1], v[i]);
            }
        }
    }

    private static int finiteCount(Series s) {
        double[] x = s.x(), y = s.y();
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) n++;
        }
        return n;
    }

    // =============================================================================================
    // drawing

    BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Drawing.canvas(img);
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (Panel p : panels) {
                drawGridAndTicks(g, p);
                drawSeries(g, p);
                drawLegendSamples(g, p);
            }
            for (Text t : texts) {
                g.setFont(t.font());
                g.setColor(t.kind() == TextKind.TICK_LABEL ? TICK_TEXT : Color.BLACK);
                if (t.rotated()) {
                    AffineTransform old = g.getTransform();
                    g.rotate(-Math.PI / 2, t.x(), t.y());
                    g.drawString(t.text(), t.x(), t.y());
                    g.setTransform(old);
                } else {
                    g.drawString(t.text(), t.x(), t.y());
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawGridAndTicks(Graphics2D g, Panel p) {
        Rectangle r = p.plot();
        g.setStroke(new BasicStroke(1f));
        for (Tick t : p.y().ticks()) {
            int py = p.yPixel(t.value());
            g.setColor(GRID);
            g.drawLine(r.x, py, r.x + r.width, py);
            g.setColor(TICK_MARK);
            g.drawLine(r.x - TICK_LENGTH, py, r.x, py);
        }
        for (Tick t : p.x().ticks()) {
            int px = p.xPixel(t.value());
            g.setColor(GRID);
            g.drawLine(px, r.y, px, r.y + r.height);
            g.setColor(TICK_MARK);
            g.drawLine(px, r.y + r.height, px, r.y + r.height + TICK_LENGTH);
        }
        g.setColor(FRAME);
        g.drawRect(r.x, r.y, r.width, r.height);
    }

    private static void drawSeries(Graphics2D g, Panel p) {
        Rectangle r = p.plot();
        java.awt.Shape oldClip = g.getClip();
        g.clip(new Rectangle(r.x - 4, r.y - 4, r.width + 9, r.height + 9)); // markers on the frame stay whole
        for (int k = 0; k < p.series().size(); k++) {
            Series s = p.series().get(k);
            double[] x = s.x(), y = s.y();
            int finite = 0;
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < y.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                    pen = false; // a gap where a value is missing (a diverged loss), not a line across it
                    continue;
                }
                finite++;
                double px = r.x + (x[i] - p.x().min()) / (p.x().max() - p.x().min()) * r.width;
                double py = r.y + r.height - (y[i] - p.y().min()) / (p.y().max() - p.y().min()) * r.height;
                if (pen) path.lineTo(px, py);
                else path.moveTo(px, py);
                pen = true;
            }
            g.setColor(p.colours().get(k));
            g.setStroke(new BasicStroke(finite > 300 ? 1.2f : 2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
            if (finite <= MARKER_MAX_POINTS) {
                for (int i = 0; i < y.length; i++) {
                    if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) continue;
                    double px = r.x + (x[i] - p.x().min()) / (p.x().max() - p.x().min()) * r.width;
                    double py = r.y + r.height - (y[i] - p.y().min()) / (p.y().max() - p.y().min()) * r.height;
                    g.fill(new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7));
                }
            }
        }
        g.setClip(oldClip);
    }

    /** The coloured line (and marker) in front of each legend entry. */
    private static void drawLegendSamples(Graphics2D g, Panel p) {
        for (int k = 0; k < p.legend().size(); k++) {
            Text t = p.legend().get(k);
            Series s = p.series().get(k);
            int cy = t.box().y + t.box().height / 2, x1 = t.x() - 6, x0 = x1 - 26;
            g.setColor(p.colours().get(k));
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawLine(x0, cy, x1, cy);
            if (finiteCount(s) <= MARKER_MAX_POINTS) {
                g.fill(new Ellipse2D.Double((x0 + x1) / 2.0 - 3.5, cy - 3.5, 7, 7));
            }
        }
    }
}
