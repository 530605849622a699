package org.brainstate4j.report;

import static org.brainstate4j.report.Drawing.MUTED;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws a confusion matrix with java.awt: rows = true class, columns = predicted class, each cell filled by
 * its share of the row (recall for diagonal cells) on a white-to-blue scale, with the count and that share
 * written in it; class names on both axes (rotated 45° under the columns when they do not fit), row totals,
 * and a colour bar. Layout is computed by the constructor; {@link #gridX}, {@link #gridY} and {@link #cell}
 * locate cell (r, c) at {@code (gridX + c*cell, gridY + r*cell)}.
 */
final class ConfusionMatrixRenderer {
    private static final int MARGIN = 16;
    private static final Color GRID = Color.WHITE;
    private static final Color EMPTY_ROW = new Color(0xEE, 0xEE, 0xEE);

    private final long[][] counts;
    private final List<String> names;
    private final String title;
    private final int n;
    private final long[] rowTotals;
    private final long total;
    private final long correct;

    final int cell;
    final int gridX;
    final int gridY;
    final int width;
    final int height;

    private final Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    private final Font subtitleFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private final Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private final Font axisFont = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private final Font countFont;
    private final Font pctFont;
    private final boolean rotateColumnLabels;
    private final int maxNameWidth;
    private final int fontHeight;
    private final int totalsWidth;
    private final int columnLabelsHeight;

    ConfusionMatrixRenderer(long[][] counts, List<String> names, String title) {
        this.counts = counts;
        this.names = names;
        this.title = title;
        this.n = counts.length;
        this.rowTotals = new long[n];
        long t = 0, c = 0;
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                rowTotals[r] += counts[r][k];
            }
            t += rowTotals[r];
            c += counts[r][r];
        }
        this.total = t;
        this.correct = c;

        this.cell = Math.max(30, Math.min(72, (int) Math.round(600.0 / n)));
        this.countFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(9, Math.min(16, (int) (cell * 0.26))));
        this.pctFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, countFont.getSize() - 3));

        Graphics2D g = scratch();
        FontMetrics lm = g.getFontMetrics(labelFont);
        int w = 0;
        for (String s : names) {
            w = Math.max(w, lm.stringWidth(s));
        }
        this.maxNameWidth = w;
        this.fontHeight = lm.getHeight();
        this.rotateColumnLabels = maxNameWidth > cell - 6;
        FontMetrics sm = g.getFontMetrics(subtitleFont);
        int tw = sm.stringWidth("n = " + fmtCount(maxOf(rowTotals)));
        this.totalsWidth = Math.max(tw, sm.stringWidth("row total")) + 14;
        g.dispose();

        int diag = (int) Math.ceil(maxNameWidth * Math.sqrt(0.5));
        this.columnLabelsHeight = rotateColumnLabels ? diag + fontHeight : fontHeight + 4;
        int axisTitle = fontHeight + 8; // "True class", rotated
        int left = MARGIN + axisTitle + maxNameWidth + 10;
        if (rotateColumnLabels) { // the first column's label runs down-left from under its cell
            left = Math.max(left, MARGIN + diag - cell / 2 + 4);
        }
        this.gridX = left;
        this.gridY = MARGIN + 26 + 20 + 20; // title, subtitle, gap with the "row total" header
        int barArea = 18 + 8 + sm.stringWidth("100%") + 10;
        Graphics2D g2 = scratch();
        int headerWidth = Math.max(g2.getFontMetrics(titleFont).stringWidth(title),
                g2.getFontMetrics(subtitleFont).stringWidth(subtitle()));
        g2.dispose();
        this.width = Math.max(gridX + n * cell + totalsWidth + barArea, MARGIN + headerWidth) + MARGIN;
        this.height = gridY + n * cell + 8 + columnLabelsHeight + 8 + fontHeight + MARGIN;
    }

    BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            drawTitle(g);
            drawCells(g);
            drawRowLabels(g);
            drawColumnLabels(g);
            drawTotals(g);
            drawColourBar(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void drawTitle(Graphics2D g) {
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, MARGIN, MARGIN + g.getFontMetrics().getAscent());
        g.setFont(subtitleFont);
        g.setColor(MUTED);
        g.drawString(subtitle(), MARGIN, MARGIN + 26 + g.getFontMetrics().getAscent());
    }

    private String subtitle() {
        String acc = total > 0 ? String.format(Locale.ROOT, "accuracy %.1f%% of %s", 100.0 * correct / total,
                fmtCount(total)) : "no samples";
        return acc + "  ·  colour = share of the true class's row";
    }

    private void drawCells(Graphics2D g) {
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                int x = gridX + c * cell, y = gridY + r * cell;
                Color fill;
                String pct = null;
                if (rowTotals[r] == 0) {
                    fill = EMPTY_ROW;
                } else {
                    double f = counts[r][c] / (double) rowTotals[r];
                    fill = Palette.blues(f);
                    pct = f == 0 ? null : f < 0.005 ? "<1%" : String.format(Locale.ROOT, "%.0f%%", 100 * f);
                }
                g.setColor(fill);
                g.fillRect(x, y, cell, cell);
                g.setColor(rowTotals[r] == 0 ? MUTED : Palette.textOn(fill));
                String cnt = fmtCount(counts[r][c]);
                Font cf = fitFont(g, countFont, cnt, cell - 6);
                FontMetrics cm = g.getFontMetrics(cf);
                boolean twoLines = pct != null && cell >= 40;
                FontMetrics pm = g.getFontMetrics(pctFont);
                int block = cm.getAscent() + (twoLines ? pm.getAscent() + 2 : 0);
                int top = y + (cell - block) / 2;
                g.setFont(cf);
                g.drawString(cnt, x + (cell - cm.stringWidth(cnt)) / 2, top + cm.getAscent());
                if (twoLines) {
                    g.setFont(pctFont);
                    g.drawString(pct, x + (cell - pm.stringWidth(pct)) / 2, top + cm.getAscent() + 2 + pm.getAscent());
                }
            }
        }
        g.setColor(GRID);
        for (int i = 1; i < n; i++) {
            g.drawLine(gridX + i * cell, gridY, gridX + i * cell, gridY + n * cell - 1);
            g.drawLine(gridX, gridY + i * cell, gridX + n * cell - 1, gridY + i * cell);
        }
        g.setColor(new Color(0xBB, 0xBB, 0xBB));
        g.drawRect(gridX - 1, gridY - 1, n * cell + 1, n * cell + 1);
    }

    private void drawRowLabels(Graphics2D g) {
        g.setFont(labelFont);
        g.setColor(Color.BLACK);
        FontMetrics m = g.getFontMetrics();
        for (int r = 0; r < n; r++) {
            String s = names.get(r);
            int y = gridY + r * cell + (cell + m.getAscent() - m.getDescent()) / 2;
            g.drawString(s, gridX - 8 - m.stringWidth(s), y);
        }
        // axis title, rotated to read bottom-up, centred on the grid
        g.setFont(axisFont);
        FontMetrics am = g.getFontMetrics();
        String t = "True class";
        AffineTransform old = g.getTransform();
        int cx = MARGIN + am.getAscent();
        int cy = gridY + n * cell / 2 + am.stringWidth(t) / 2;
        g.rotate(-Math.PI / 2, cx, cy);
        g.drawString(t, cx, cy);
        g.setTransform(old);
    }

    private void drawColumnLabels(Graphics2D g) {
        g.setFont(labelFont);
        g.setColor(Color.BLACK);
        FontMetrics m = g.getFontMetrics();
        int top = gridY + n * cell + 8;
        for (int c = 0; c < n; c++) {
            String s = names.get(c);
            int cx = gridX + c * cell + cell / 2;
            if (rotateColumnLabels) {
                // text ends just below the column centre and runs up-left to down-right reversed: rotate by
                // -45° about the anchor and draw right-aligned so its end sits at the anchor
                AffineTransform old = g.getTransform();
                int ax = cx + m.getAscent() / 2, ay = top + 2;
                g.rotate(-Math.PI / 4, ax, ay);
                g.drawString(s, ax - m.stringWidth(s), ay + m.getAscent() / 2);
                g.setTransform(old);
            } else {
                g.drawString(s, cx - m.stringWidth(s) / 2, top + m.getAscent());
            }
        }
        g.setFont(axisFont);
        FontMetrics am = g.getFontMetrics();
        String t = "Predicted class";
        g.drawString(t, gridX + (n * cell - am.stringWidth(t)) / 2, top + columnLabelsHeight + 8 + am.getAscent());
    }

    private void drawTotals(Graphics2D g) {
        g.setFont(subtitleFont);
        g.setColor(MUTED);
        FontMetrics m = g.getFontMetrics();
        int x = gridX + n * cell + 8;
        g.drawString("row total", x, gridY - 6);
        for (int r = 0; r < n; r++) {
            String s = "n = " + fmtCount(rowTotals[r]);
            g.drawString(s, x, gridY + r * cell + (cell + m.getAscent() - m.getDescent()) / 2);
        }
    }

    private void drawColourBar(Graphics2D g) {
        int x = gridX + n * cell + totalsWidth + 8;
        int h = n * cell;
        for (int i = 0; i < h; i++) {
            g.setColor(Palette.blues(1 - i / (double) (h - 1)));
            g.fillRect(x, gridY + i, 18, 1);
        }
        g.setColor(new Color(0xBB, 0xBB, 0xBB));
        g.drawRect(x, gridY, 18, h - 1);
        g.setFont(subtitleFont);
        g.setColor(MUTED);
        FontMetrics m = g.getFontMetrics();
        String[] ticks = {"100%", "50%", "0%"};
        int[] ys = {gridY, gridY + h / 2, gridY + h - 1};
        int[] baselines = {gridY + m.getAscent() - 2, gridY + h / 2 + m.getAscent() / 2 - 1, gridY + h};
        for (int i = 0; i < 3; i++) {
            g.drawLine(x + 18, ys[i], x + 22, ys[i]);
            g.drawString(ticks[i], x + 25, baselines[i]);
        }
    }

    private static Font fitFont(Graphics2D g, Font f, String s, int maxWidth) {
        Font cur = f;
        while (cur.getSize() > 7 && g.getFontMetrics(cur).stringWidth(s) > maxWidth) {
            cur = cur.deriveFont((float) (cur.getSize() - 1));
        }
        return cur;
    }

    static String fmtCount(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static long maxOf(long[] a) {
        long m = 0;
        for (long v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static Graphics2D scratch() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        return g;
    }
}
