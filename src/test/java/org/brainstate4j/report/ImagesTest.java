package org.brainstate4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ImagesTest {

    @Test
    void greyAndRgbPixelsAreScaledTo255AndClamped() {
        float[][][] grey = {{{0f}, {0.5f}}, {{1.7f}, {-3f}}};
        BufferedImage g = Images.toImage(grey);
        assertEquals(2, g.getWidth());
        assertEquals(2, g.getHeight());
        assertEquals(0x000000, g.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x808080, g.getRGB(1, 0) & 0xFFFFFF); // round(0.5 * 255) = 128
        assertEquals(0xFFFFFF, g.getRGB(0, 1) & 0xFFFFFF); // 1.7 clamped to 1
        assertEquals(0x000000, g.getRGB(1, 1) & 0xFFFFFF); // -3 clamped to 0

        BufferedImage rgb = Images.toImage(new float[][][] {{{1f, 0f, 0.2f}}});
        assertEquals(0xFF0033, rgb.getRGB(0, 0) & 0xFFFFFF); // round(0.2 * 255) = 51 = 0x33
    }

    @Test
    void nhwcArraysBecomeOneImagePerSample() {
        float[] data = {0f, 1f, 1f, 0f, 0.5f, 0.5f, 0.5f, 0.5f};
        float[][][][] images = Images.toFloatImages(Nd4j.createFromArray(data).reshape(2, 2, 2, 1));
        assertEquals(2, images.length);
        assertArrayEquals(new float[] {1f}, images[0][0][1]);
        assertEquals(2, Images.toImages(Nd4j.createFromArray(data).reshape(2, 2, 2)).size());
    }

    @Test
    void badImagesAreRefusedWithTheirSizes() {
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> Images.toImage(new float[][][] {{{0f, 1f}}}));
        assertEquals("image has 2 channels, expected 3 (RGB) or 1 (grey)", channels.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> Images.toImage(new float[][][] {{{0f}, {0f}}, {{0f}}}));
        assertEquals("image row 1 has 1 pixels but row 0 has 2", rows.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> Images.toFloatImages(Nd4j.zeros(2, 3)));
        assertEquals("images must be NHWC [N, H, W, C] or [N, H, W], got shape [2, 3]", rank.getMessage());
    }
}
