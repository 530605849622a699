package org.brainstate4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** {@link ImageInput}'s conversion rules on small hand-made pictures. */
class ImageInputTest {
    @Test
    void areaAveragingOfReplicatedBlocksGivesBackTheOriginal() {
        float[] plane = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}; // 3 wide, 2 high
        float[] doubled = new float[6 * 4];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 6; x++) doubled[y * 6 + x] = plane[(y / 2) * 3 + x / 2];
        assertArrayEquals(plane, ImageInput.fit(doubled, 6, 4, 3, 2), 1e-6f);
        // a 3x2 picture into 3x3: scale 1, one black row split above and below
        float[] padded = ImageInput.fit(plane, 3, 2, 3, 3);
        assertArrayEquals(new float[] {0.05f, 0.1f, 0.15f, 0.25f, 0.35f, 0.45f, 0.2f, 0.25f, 0.3f}, padded, 1e-6f);
    }

    @Test
    void colourBecomesBt601LumaAndTransparencyBlack() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xFF_C8_64_32); // opaque (200, 100, 50)
        img.setRGB(1, 0, 0x80_FF_FF_FF); // half-transparent white
        float[] grey = ImageInput.toInput(img, 1, 2, 1).data().asFloat();
        assertEquals(Math.round(0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255f, grey[0], 1e-6f);
        assertEquals(Math.round(255 * (0x80 / 255f)) / 255f, grey[1], 1e-6f);
        float[] rgb = ImageInput.toInput(img, 1, 2, 3).data().asFloat();
        assertArrayEquals(new float[] {200 / 255f, 100 / 255f, 50 / 255f}, java.util.Arrays.copyOf(rgb, 3), 1e-6f);
    }

    @Test
    void refusesChannelCountsOtherThanOneOrThree() {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageInput.toInput(img, 2, 2, 2));
        assertEquals("channels (=2) must be 1 (grey) or 3 (RGB)", e.getMessage());
    }
}
