package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.brainstate4j.data.ImageInput;
import org.junit.jupiter.api.Test;

/** The committed {@code data/samples/} are exactly the test-split pictures {@link SampleImages} names. */
class SampleImagesTest {
    @Test
    void committedSamplesAreTheTestSplitImages() throws IOException {
        Map<String, BufferedImage> expected = SampleImages.all();
        try (Stream<Path> files = Files.list(SampleImages.DIR)) {
            assertEquals(expected.keySet().stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList());
        }
        for (Map.Entry<String, BufferedImage> e : expected.entrySet()) {
            BufferedImage want = e.getValue();
            BufferedImage got = ImageInput.read(SampleImages.DIR.resolve(e.getKey()));
            assertEquals(List.of(want.getWidth(), want.getHeight()), List.of(got.getWidth(), got.getHeight()), e.getKey());
            int bands = want.getRaster().getNumBands();
            assertEquals(bands, got.getRaster().getNumBands(), e.getKey() + " bands");
            for (int y = 0; y < want.getHeight(); y++) {
                for (int x = 0; x < want.getWidth(); x++) {
                    for (int b = 0; b < bands; b++) {
                        assertEquals(want.getRaster().getSample(x, y, b), got.getRaster().getSample(x, y, b),
                                e.getKey() + " at (" + x + ", " + y + ") band " + b);
                    }
                }
            }
        }
    }
}
