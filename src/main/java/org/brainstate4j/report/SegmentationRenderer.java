package org.brainstate4j.report;

import static org.brainstate4j.report.Drawing.HEADER_FONT;
import static org.brainstate4j.report.Drawing.LABEL_FONT;
import static org.brainstate4j.report.Drawing.MUTED;
import static org.brainstate4j.report.Drawing.canvas;
import static org.brainstate4j.report.Drawing.ellipsize;
import static org.brainstate4j.report.Drawing.scaleFor;
import static org.brainstate4j.report.Drawing.scratch;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Rows of image, ground truth (or overlay) and prediction in the class palette, with a legend of classes. */
final class SegmentationRenderer {
    private SegmentationRenderer() {}

    /** As described at the two public callers; {@code trueLabels == null}: a prediction alone, with an overlay column. */
    static BufferedImage render(float[][][][] images, int[][][] trueLabels, int[][][] predicted,
                                List<String> classNames) {
        if (images == null || images.length == 0) {
            throw new IllegalArgumentException("images must not be empty (got " + (images == null ? "null" : "0 images") + ")");
        }
        int n = images.length;
        boolean withTruth = trueLabels != null;
        if (withTruth && trueLabels.length != n) {
            throw new IllegalArgumentException("trueLabels has " + (trueLabels == null ? 0 : trueLabels.length)
                    + " samples but images has " + n);
        }
        if (predicted == null || predicted.length != n) {
            throw new IllegalArgumentException("predicted has " + (predicted == null ? 0 : predicted.length)
                    + " samples but images has " + n);
        }
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames must not be empty (got "
                    + (classNames == null ? "null" : "0 names") + ")");
        }
        int k = classNames.size();
        List<BufferedImage> imgs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            imgs.add(Images.toImage(images[i], "images[" + i + "]"));
            int h = images[i].length, w = images[i][0].length;
            if (withTruth) checkMap(trueLabels[i], "trueLabels[" + i + "]", h, w, "images[" + i + "]");
            checkMap(predicted[i], "predicted[" + i + "]", h, w, "images[" + i + "]");
        }
        boolean anyIgnored = false;
        int maxW = 0, maxH = 0;
        for (int i = 0; i < n; i++) {
            maxH = Math.max(maxH, images[i].length);
            maxW = Math.max(maxW, images[i][0].length);
            anyIgnored |= (withTruth && hasOutOfRange(trueLabels[i], k)) || hasOutOfRange(predicted[i], k);
        }
        int s = scaleFor(Math.max(maxW, maxH), 128);
        int tileW = maxW * s, tileH = maxH * s;
        int pad = 12;

        Graphics2D mg = scratch();
        FontMetrics lm = mg.getFontMetrics(LABEL_FONT);
        FontMetrics hm = mg.getFontMetrics(HEADER_FONT);
        mg.dispose();
        int headerH = hm.getHeight() + 6;
        int captionH = lm.getHeight() + 4;
        int rowLabelW = hm.stringWidth("#" + (n - 1)) + 12;
        int gridW = rowLabelW + 3 * (tileW + pad);
        // legend: swatch + name entries flowing over lines of the grid's width (at least 420 px)
        List<String> legendNames = new ArrayList<>(classNames);
        List<Integer> legendRgb = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            legendRgb.add(Palette.classRgb(c));
        }
        if (anyIgnored) {
            legendNames.add("other label (not 0.." + (k - 1) + ")");
            legendRgb.add(Palette.IGNORE_RGB);
        }
        int width = pad + Math.max(gridW, 420);
        int lineW = width - 2 * pad;
        int sw = 14, entryGap = 16, lineH = Math.max(sw, lm.getHeight()) + 6;
        List<int[]> pos = new ArrayList<>(); // x, line
        int lx = 0, line = 0;
        for (String name : legendNames) {
            int ew = sw + 6 + lm.stringWidth(name);
            if (lx > 0 && lx + ew > lineW) {
                lx = 0;
                line++;
            }
            pos.add(new int[] {lx, line});
            lx += ew + entryGap;
        }
        int legendH = (line + 1) * lineH;
        int height = pad + headerH + n * (tileH + captionH + pad) + hm.getHeight() + 4 + legendH + pad;

        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(out);
        try {
            String[] headers = {"image", withTruth ? "ground truth" : "overlay", "prediction"};
            g.setFont(HEADER_FONT);
            g.setColor(Color.BLACK);
            for (int c = 0; c < 3; c++) {
                int x = pad + rowLabelW + c * (tileW + pad);
                g.drawString(headers[c], x + (tileW - hm.stringWidth(headers[c])) / 2, pad + hm.getAscent());
            }
            for (int i = 0; i < n; i++) {
                int y = pad + headerH + i * (tileH + captionH + pad);
                int h = images[i].length, w = images[i][0].length;
                BufferedImage[] tiles = {imgs.get(i),
                        withTruth ? Images.labelImage(trueLabels[i], k) : tinted(imgs.get(i), predicted[i], k),
                        Images.labelImage(predicted[i], k)};
                for (int c = 0; c < 3; c++) {
                    int x = pad + rowLabelW + c * (tileW + pad);
                    g.drawImage(tiles[c], x, y, w * s, h * s, null);
                    g.setColor(new Color(0xCC, 0xCC, 0xCC));
                    g.drawRect(x - 1, y - 1, w * s + 1, h * s + 1);
                }
                g.setFont(HEADER_FONT);
                g.setColor(Color.BLACK);
                g.drawString("#" + i, pad, y + (tileH + hm.getAscent()) / 2);
                if (!withTruth) continue;
                String acc = String.format(Locale.ROOT, "pixel accuracy %.1f%%", 100 * pixelAccuracy(trueLabels[i], predicted[i]));
                g.setFont(LABEL_FONT);
                g.setColor(MUTED);
                int px = pad + rowLabelW + 2 * (tileW + pad);
                String cap = ellipsize(acc, lm, tileW + pad);
                g.drawString(cap, px + (tileW - lm.stringWidth(cap)) / 2, y + tileH + 3 + lm.getAscent());
            }
            int ly = pad + headerH + n * (tileH + captionH + pad);
            g.setFont(HEADER_FONT);
            g.setColor(Color.BLACK);
            g.drawString("classes", pad, ly + hm.getAscent());
            ly += hm.getHeight() + 4;
            g.setFont(LABEL_FONT);
            for (int e = 0; e < legendNames.size(); e++) {
                int x = pad + pos.get(e)[0];
                int y = ly + pos.get(e)[1] * lineH;
                g.setColor(new Color(legendRgb.get(e)));
                g.fillRect(x, y, sw, sw);
                g.setColor(new Color(0x99, 0x99, 0x99));
                g.drawRect(x, y, sw, sw);
                g.setColor(Color.BLACK);
                g.drawString(legendNames.get(e), x + sw + 6, y + (sw + lm.getAscent() - lm.getDescent()) / 2);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void checkMap(int[][] map, String what, int h, int w, String imageName) {
        if (map == null || map.length != h || map.length == 0 || map[0] == null || map[0].length != w) {
            String got = map == null ? "null" : map.length + " x " + (map.length == 0 || map[0] == null ? 0 : map[0].length);
            throw new IllegalArgumentException(what + " is " + got + " but " + imageName + " is " + h + " x " + w);
        }
        for (int r = 0; r < h; r++) {
            if (map[r] == null || map[r].length != w) {
                throw new IllegalArgumentException(what + " row " + r + " has " + (map[r] == null ? 0 : map[r].length)
                        + " pixels but " + imageName + " is " + w + " wide");
            }
        }
    }

    private static boolean hasOutOfRange(int[][] map, int k) {
        for (int[] row : map) {
            for (int v : row) {
                if (v < 0 || v >= k) return true;
            }
        }
        return false;
    }

    private static double pixelAccuracy(int[][] t, int[][] p) {
        long same = 0, all = 0;
        for (int r = 0; r < t.length; r++) {
            for (int c = 0; c < t[r].length; c++) {
                same += t[r][c] == p[r][c] ? 1 : 0;
                all++;
            }
        }
        return all == 0 ? 0 : same / (double) all;
    }

    /** {@code img} with every pixel of a class other than 0 (background) mixed half and half with its class colour. */
    private static BufferedImage tinted(BufferedImage img, int[][] map, int numClasses) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int v = map[y][x], rgb = img.getRGB(x, y) & 0xFFFFFF;
                if (v != 0) {
                    int c = v < numClasses ? Palette.classRgb(v) : Palette.IGNORE_RGB;
                    rgb = ((((rgb >> 16) & 0xFF) + ((c >> 16) & 0xFF)) / 2 << 16)
                            | ((((rgb >> 8) & 0xFF) + ((c >> 8) & 0xFF)) / 2 << 8) | (((rgb & 0xFF) + (c & 0xFF)) / 2);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

}
