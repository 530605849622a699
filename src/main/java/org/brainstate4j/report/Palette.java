package org.brainstate4j.report;

import java.awt.Color;

/** Fixed colours: class colours for label maps and the white-to-blue scale of the confusion matrix. */
final class Palette {
    private Palette() {}

    /** Class 0 (background) is black; then Tableau 10, then 10 more well-separated colours. */
    private static final int[] CLASS_RGB = {
        0x000000,
        0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
        0x1F77B4, 0xFFBB78, 0x98DF8A, 0xC5B0D5, 0x17BECF, 0xBCBD22, 0xE377C2, 0x8C564B, 0xAEC7E8, 0x7F7F7F,
    };

    /** Colour of labels outside [0, numClasses), e.g. VOC's "ignore" label 255. */
    static final int IGNORE_RGB = 0xFFFFFF;

    /** RGB of class {@code c} ({@code c >= 0}); beyond the table, the PASCAL VOC bit-interleaved colour map. */
    static int classRgb(int c) {
        if (c < CLASS_RGB.length) {
            return CLASS_RGB[c];
        }
        int r = 0, g = 0, b = 0, id = c;
        for (int shift = 7; shift >= 0 && id > 0; shift--) {
            r |= (id & 1) << shift;
            g |= ((id >> 1) & 1) << shift;
            b |= ((id >> 2) & 1) << shift;
            id >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }

    private static final double[] BLUES_POS = {0, 0.25, 0.5, 0.75, 1};
    private static final int[][] BLUES = {
        {247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107},
    };

    /** Sequential white-to-dark-blue scale (matplotlib's "Blues" stops) for {@code t} in [0, 1]. */
    static Color blues(double t) {
        t = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        int i = 0;
        while (i < BLUES_POS.length - 2 && t > BLUES_POS[i + 1]) {
            i++;
        }
        double f = (t - BLUES_POS[i]) / (BLUES_POS[i + 1] - BLUES_POS[i]);
        int[] a = BLUES[i], b = BLUES[i + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }

    /** Black or white, whichever reads better on {@code bg}. */
    static Color textOn(Color bg) {
        double lum = 0.2126 * bg.getRed() + 0.7152 * bg.getGreen() + 0.0722 * bg.getBlue();
        return lum < 140 ? Color.WHITE : new Color(0x20, 0x20, 0x20);
    }
}
