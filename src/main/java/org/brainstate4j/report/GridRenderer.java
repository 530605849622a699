package org.brainstate4j.report;

import static org.brainstate4j.report.Drawing.HEADER_FONT;
import static org.brainstate4j.report.Drawing.LABEL_FONT;
import static org.brainstate4j.report.Drawing.MUTED;
import static org.brainstate4j.report.Drawing.TITLE_FONT;
import static org.brainstate4j.report.Drawing.canvas;
import static org.brainstate4j.report.Drawing.scaleFor;
import static org.brainstate4j.report.Drawing.scratch;
import static org.brainstate4j.report.Drawing.wrap;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Images in a grid, enlarged without blur, with optional captions (wrapped onto up to 3 lines), row labels and a title. */
final class GridRenderer {
    private GridRenderer() {}

    static BufferedImage render(List<BufferedImage> images, int rows, int cols, List<String> captions,
                                List<String> rowLabels, String title) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("images must not be empty (got " + (images == null ? "null" : "0 images") + ")");
        }
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("rows and cols must be >= 1, got rows = " + rows + ", cols = " + cols);
        }
        if (images.size() > (long) rows * cols) {
            throw new IllegalArgumentException("images has " + images.size() + " images but the grid is " + rows + " x "
                    + cols + " = " + rows * cols + " cells");
        }
        if (captions != null && captions.size() != images.size()) {
            throw new IllegalArgumentException("captions has " + captions.size() + " entries but images has "
                    + images.size());
        }
        int maxW = 0, maxH = 0;
        for (int i = 0; i < images.size(); i++) {
            BufferedImage im = images.get(i);
            if (im == null) {
                throw new IllegalArgumentException("images[" + i + "] is null");
            }
            maxW = Math.max(maxW, im.getWidth());
            maxH = Math.max(maxH, im.getHeight());
        }
        int s = scaleFor(Math.max(maxW, maxH), 96);
        int cellW = maxW * s, cellH = maxH * s;
        int pad = 10;

        Graphics2D mg = scratch();
        FontMetrics lm = mg.getFontMetrics(LABEL_FONT);
        FontMetrics hm = mg.getFontMetrics(HEADER_FONT);
        int rowLabelW = 0;
        if (rowLabels != null) {
            for (String l : rowLabels) {
                rowLabelW = Math.max(rowLabelW, hm.stringWidth(l));
            }
            rowLabelW += 12;
        }
        mg.dispose();
        // captions wrap onto up to 3 lines under their image rather than lose their end ("(2, 2), (2, 2): 3...")
        int captionWidth = cellW - 4; // within the cell, so neighbouring captions keep the padding between them
        List<List<String>> captionLines = new ArrayList<>();
        int maxLines = 0;
        for (int i = 0; captions != null && i < captions.size(); i++) {
            List<String> lines = captions.get(i) == null ? List.of() : wrap(captions.get(i), lm, captionWidth, 3);
            captionLines.add(lines);
            maxLines = Math.max(maxLines, lines.size());
        }
        int captionH = captions != null ? Math.max(1, maxLines) * lm.getHeight() + 4 : 0;
        int titleH = title != null ? 30 : 0;
        int width = pad + rowLabelW + cols * (cellW + pad);
        int height = pad + titleH + rows * (cellH + captionH + pad);

        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(out);
        try {
            if (title != null) {
                g.setFont(TITLE_FONT);
                g.setColor(Color.BLACK);
                g.drawString(title, pad, pad + g.getFontMetrics().getAscent());
            }
            for (int i = 0; i < images.size(); i++) {
                int r = i / cols, c = i % cols;
                int x = pad + rowLabelW + c * (cellW + pad);
                int y = pad + titleH + r * (cellH + captionH + pad);
                BufferedImage im = images.get(i);
                int w = im.getWidth() * s, h = im.getHeight() * s;
                int ix = x + (cellW - w) / 2, iy = y + (cellH - h) / 2;
                g.drawImage(im, ix, iy, w, h, null);
                g.setColor(new Color(0xCC, 0xCC, 0xCC));
                g.drawRect(ix - 1, iy - 1, w + 1, h + 1);
                if (captions != null) {
                    g.setFont(LABEL_FONT);
                    g.setColor(MUTED);
                    List<String> lines = captionLines.get(i);
                    for (int l = 0; l < lines.size(); l++) {
                        String cap = lines.get(l);
                        g.drawString(cap, x + (cellW - lm.stringWidth(cap)) / 2, y + cellH + 3 + l * lm.getHeight() + lm.getAscent());
                    }
                }
            }
            if (rowLabels != null) {
                g.setFont(HEADER_FONT);
                g.setColor(Color.BLACK);
                for (int r = 0; r < Math.min(rows, rowLabels.size()); r++) {
                    int y = pad + titleH + r * (cellH + captionH + pad) + (cellH + hm.getAscent() - hm.getDescent()) / 2;
                    g.drawString(rowLabels.get(r), pad, y);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
