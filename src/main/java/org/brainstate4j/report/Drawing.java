package org.brainstate4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** What the java.awt renderers share: fonts, the muted caption colour, canvases, enlargement and ellipsis. */
final class Drawing {
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font HEADER_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Color MUTED = new Color(0x55, 0x55, 0x55);

    private Drawing() {}

    /** Whole enlargement factor that brings {@code size} to at least {@code target} px, between 1 and 8. */
    static int scaleFor(int size, int target) {
        return Math.max(1, Math.min(8, (int) Math.ceil(target / (double) Math.max(1, size))));
    }

    /** {@code s}, cut with an ellipsis to fit {@code maxWidth} px. */
    static String ellipsize(String s, FontMetrics m, int maxWidth) {
        if (m.stringWidth(s) <= maxWidth) return s;
        String e = "…";
        int end = s.length();
        while (end > 0 && m.stringWidth(s.substring(0, end) + e) > maxWidth) {
            end--;
        }
        return s.substring(0, end) + e;
    }

    /** A white, text-antialiased graphics on {@code img} that scales images by nearest neighbour. */
    static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return g;
    }

    /** A graphics for measuring text before the picture's size is known; dispose it. */
    static Graphics2D scratch() {
        return canvas(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    }
}
