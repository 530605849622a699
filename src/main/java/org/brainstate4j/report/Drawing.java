package org.brainstate4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** What the java.awt renderers share: fonts, the muted caption colour, canvases, enlargement, ellipsis and wrapping. */
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

    /**
     * {@code s} broken at spaces into at most {@code maxLines} lines of at most {@code maxWidth} px; what does
     * not fit is cut with an ellipsis on the last line (a word too long for a line is cut too).
     */
    static List<String> wrap(String s, FontMetrics m, int maxWidth, int maxLines) {
        List<String> lines = new ArrayList<>();
        String line = "";
        String[] words = s.strip().split(" +");
        for (int i = 0; i < words.length; i++) {
            String candidate = line.isEmpty() ? words[i] : line + " " + words[i];
            if (line.isEmpty() || m.stringWidth(candidate) <= maxWidth) {
                line = candidate;
                continue;
            }
            if (lines.size() == maxLines - 1) { // last line: the rest, cut to fit
                line = candidate + " " + String.join(" ", java.util.Arrays.copyOfRange(words, i + 1, words.length));
                break;
            }
            lines.add(ellipsize(line, m, maxWidth));
            line = words[i];
        }
        lines.add(ellipsize(line.strip(), m, maxWidth));
        return lines;
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
