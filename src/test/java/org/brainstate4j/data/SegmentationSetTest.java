package org.brainstate4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The segmentation composer: determinism, label/pixel consistency, class balance, split disjointness, shapes. */
class SegmentationSetTest {

    private static SegmentationSet.Builder small() {
        return SegmentationSet.builder().sizes(60, 20, 20).seed(3);
    }

    private static SegmentationSet build(SegmentationSet.Builder b) {
        return b.build(Shipped.train(), Shipped.test());
    }

    @Test
    void sameSeedSameCanvasesOtherSeedOtherCanvases() {
        SegmentationSet a = build(small());
        SegmentationSet b = build(small());
        SegmentationSet c = build(small().seed(4));
        for (SegmentationSplit[] s : new SegmentationSplit[][] {{a.train(), b.train(), c.train()},
                {a.validation(), b.validation(), c.validation()}, {a.test(), b.test(), c.test()}}) {
            for (int i = 0; i < s[0].size(); i += 7) {
                SegmentationSet.Canvas x = s[0].canvas(i);
                SegmentationSet.Canvas y = s[1].canvas(i);
                assertArrayEquals(x.image(), y.image());
                assertArrayEquals(x.labels(), y.labels());
                assertEquals(x.garments(), y.garments());
                assertFalse(Arrays.equals(x.image(), s[2].canvas(i).image()));
                // Asking again composes the same canvas.
                assertArrayEquals(x.image(), s[0].canvas(i).image());
            }
        }
        SegmentationSplit.Iterator i1 = a.train().iterator(16, true, 9);
        SegmentationSplit.Iterator i2 = b.train().iterator(16, true, 9);
        while (i1.hasNext()) {
            DataSet d1 = i1.next();
            DataSet d2 = i2.next();
            assertArrayEquals(i1.lastPositions(), i2.lastPositions());
            assertEquals(d1.getFeatures(), d2.getFeatures());
            assertEquals(d1.getLabels(), d2.getLabels());
        }
    }

    /** Re-derives every canvas's label map from its garment list and the source images alone. */
    @Test
    void labelsAreExactlyWhereGarmentsAreVisible() {
        for (Taxonomy taxonomy : List.of(Taxonomy.FINE, Taxonomy.COARSE)) {
            SegmentationSet set = build(small().taxonomy(taxonomy).objectsPerCanvas(1, 5));
            checkConsistent(set.train(), Shipped.train(), taxonomy, 0.1);
            checkConsistent(set.test(), Shipped.test(), taxonomy, 0.1);
        }
        SegmentationSet strict = build(small().threshold(0.4).minVisibleFraction(0.8).canvasSize(80));
        checkConsistent(strict.validation(), Shipped.train(), Taxonomy.FINE, 0.4);
    }

    private static void checkConsistent(SegmentationSplit split, LabelledImages file, Taxonomy taxonomy, double threshold) {
        int w = split.width();
        int hw = split.height() * w;
        for (int i = 0; i < split.size(); i++) {
            SegmentationSet.Canvas c = split.canvas(i);
            assertTrue(c.garments().size() >= 1, "canvas " + i + " shows no garment");
            int[] inst = new int[hw];
            for (int g = 0; g < c.garments().size(); g++) {
                SegmentationSet.Garment gm = c.garments().get(g);
                assertEquals(file.label(gm.sourceIndex()), gm.fashionClass());
                assertEquals(taxonomy.labelOf(gm.fashionClass()), gm.label());
                assertEquals(28, gm.size());
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        if (file.pixel(gm.sourceIndex(), y, x) > threshold) inst[(gm.top() + y) * w + gm.left() + x] = g + 1;
                    }
                }
            }
            int[] visible = new int[c.garments().size() + 1];
            for (int q = 0; q < hw; q++) {
                assertEquals(inst[q], c.instances()[q] & 0xFF, "canvas " + i + " pixel " + q);
                int expected = inst[q] == 0 ? 0 : c.garments().get(inst[q] - 1).label();
                assertEquals(expected, c.labels()[q], "canvas " + i + " pixel " + q);
                visible[inst[q]]++;
                if (inst[q] > 0) {
                    // The pixel shows that garment: its tint shaded by the source intensity, plus noise.
                    SegmentationSet.Garment gm = c.garments().get(inst[q] - 1);
                    float v = file.pixel(gm.sourceIndex(), q / w - gm.top(), q % w - gm.left());
                    float shade = 0.3f + 0.7f * v;
                    int[] rgb = {(gm.tintRgb() >> 16) & 0xFF, (gm.tintRgb() >> 8) & 0xFF, gm.tintRgb() & 0xFF};
                    for (int ch = 0; ch < 3; ch++) {
                        assertEquals(rgb[ch] / 255f * shade, c.image()[3 * q + ch], 0.2f, "canvas " + i + " pixel " + q);
                    }
                }
            }
            for (int g = 0; g < c.garments().size(); g++) {
                SegmentationSet.Garment gm = c.garments().get(g);
                assertEquals(gm.visiblePixels(), visible[g + 1]);
                assertTrue(gm.visiblePixels() >= 0.5 * gm.maskPixels(), "garment " + g + " of canvas " + i + " mostly hidden");
            }
            for (float v : c.image()) assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void classFrequenciesArePlausible() {
        SegmentationSet fine = build(SegmentationSet.builder().sizes(400, 0, 0).seed(5));
        long[] counts = fine.train().classPixelCounts();
        double total = Arrays.stream(counts).sum();
        double garment = total - counts[0];
        assertEquals(400L * 64 * 64, (long) total);
        assertTrue(counts[0] / total > 0.7 && counts[0] / total < 0.9, "background share " + counts[0] / total);
        for (int k = 1; k <= 10; k++) {
            double share = counts[k] / garment;
            assertTrue(share > 0.04 && share < 0.2, fine.taxonomy().classNames().get(k) + " share " + share);
        }
        int garments = 0;
        for (int i = 0; i < 400; i++) garments += fine.train().canvas(i).garments().size();
        assertTrue(garments > 900 && garments < 1100, "garments on 400 canvases of 1..4: " + garments);

        SegmentationSet coarse = build(SegmentationSet.builder().sizes(400, 0, 0).seed(5).taxonomy(Taxonomy.COARSE));
        long[] cc = coarse.train().classPixelCounts();
        assertEquals(counts[0], cc[0]); // same canvases, coarser labels
        assertEquals(counts[1] + counts[3] + counts[5] + counts[7], cc[1]); // tops
        assertEquals(counts[2], cc[2]);
        assertEquals(counts[4], cc[3]);
        assertEquals(counts[6] + counts[8] + counts[10], cc[4]); // footwear
        assertEquals(counts[9], cc[5]);
    }

    /** The input is not separable by brightness alone: the best single threshold on luminance misses many pixels. */
    @Test
    void foregroundIsNotABrightnessThreshold() {
        SegmentationSplit split = build(SegmentationSet.builder().sizes(100, 0, 0).seed(6)).train();
        int bins = 64;
        long[][] hist = new long[2][bins];
        for (int i = 0; i < split.size(); i++) {
            SegmentationSet.Canvas c = split.canvas(i);
            for (int q = 0; q < c.labels().length; q++) {
                float lum = (c.image()[3 * q] + c.image()[3 * q + 1] + c.image()[3 * q + 2]) / 3;
                hist[c.labels()[q] == 0 ? 0 : 1][Math.min(bins - 1, (int) (lum * bins))]++;
            }
        }
        long bg = Arrays.stream(hist[0]).sum();
        long fg = Arrays.stream(hist[1]).sum();
        double bestBalanced = 0;
        for (int t = 0; t <= bins; t++) {
            long bgBelow = 0;
            long fgAbove = 0;
            for (int b = 0; b < t; b++) bgBelow += hist[0][b];
            for (int b = t; b < bins; b++) fgAbove += hist[1][b];
            double balanced = Math.max((bgBelow / (double) bg + fgAbove / (double) fg) / 2,
                    ((bg - bgBelow) / (double) bg + (fg - fgAbove) / (double) fg) / 2);
            bestBalanced = Math.max(bestBalanced, balanced);
        }
        assertTrue(bestBalanced < 0.9, "a luminance threshold separates background from garments: balanced accuracy " + bestBalanced);
    }

    @Test
    void splitsDrawFromDisjointSourceImages() {
        SegmentationSet set = build(SegmentationSet.builder().sizes(2_000, 500, 500).seed(8));
        int[] train = set.train().allSourceIndices();
        int[] val = set.validation().allSourceIndices();
        Set<Integer> trainSet = new HashSet<>();
        for (int s : train) trainSet.add(s);
        for (int s : val) assertFalse(trainSet.contains(s), "training image " + s + " used by train and validation");
        // Enough images: no reuse at all within a split.
        assertEquals(sumOfDrawn(set.train()), train.length);
        assertEquals(sumOfDrawn(set.validation()), val.length);
        assertEquals(sumOfDrawn(set.test()), set.test().allSourceIndices().length);
        // Test canvases show test-file images (their classes match the test file's labels).
        for (int i = 0; i < 50; i++) {
            for (SegmentationSet.Garment g : set.test().canvas(i).garments()) {
                assertEquals(Shipped.test().label(g.sourceIndex()), g.fashionClass());
            }
        }
        // A small training source: images are reused within a split but never across train and validation.
        LabelledImages few = Shipped.train().range(1_000, 1_100);
        SegmentationSet tight = SegmentationSet.builder().sizes(200, 50, 10).seed(8).build(few, Shipped.test().first(5));
        Set<Integer> t = new HashSet<>();
        for (int s : tight.train().allSourceIndices()) t.add(s);
        for (int s : tight.validation().allSourceIndices()) assertFalse(t.contains(s));
        assertTrue(tight.train().allSourceIndices().length + tight.validation().allSourceIndices().length <= 100);
        for (int s : tight.train().allSourceIndices()) assertTrue(s >= 1_000 && s < 1_100);
        assertEquals(5, tight.test().allSourceIndices().length);
    }

    private static int sumOfDrawn(SegmentationSplit split) {
        int n = 0;
        for (int i = 0; i < split.size(); i++) n += split.sourceIndices(i).length;
        return n;
    }

    @Test
    void dataSetShapesAndPerPixelOneHotAt64And128() {
        checkShapes(build(small()).train(), 11, 64);
        SegmentationSet big = build(SegmentationSet.builder().canvasSize(128).scale(1.0, 2.0).objectsPerCanvas(2, 6)
                .taxonomy(Taxonomy.COARSE).sizes(6, 3, 3).seed(4));
        checkShapes(big.train(), 6, 128);
        int sizeSeen = 0;
        for (int i = 0; i < big.train().size(); i++) {
            for (SegmentationSet.Garment g : big.train().canvas(i).garments()) {
                assertTrue(g.size() >= 28 && g.size() <= 56 && g.top() + g.size() <= 128 && g.left() + g.size() <= 128);
                sizeSeen = Math.max(sizeSeen, g.size());
            }
        }
        assertTrue(sizeSeen > 28, "scaling should enlarge some garments");
    }

    private static void checkShapes(SegmentationSplit split, int classes, int side) {
        assertEquals(classes, split.numClasses());
        SegmentationSplit.Iterator it = split.iterator(4, true, 1);
        assertEquals(side * side * 3, it.inputColumns());
        assertEquals(classes, it.totalOutcomes());
        assertEquals(split.taxonomy().classNames(), it.getLabels());
        DataSet ds = it.next();
        INDArray x = ds.getFeatures();
        INDArray y = ds.getLabels();
        assertArrayEquals(new long[] {4, side, side, 3}, x.shape());
        assertArrayEquals(new long[] {4, side, side, classes}, y.shape());
        assertEquals(DataType.FLOAT, x.dataType());
        assertEquals(DataType.FLOAT, y.dataType());
        assertEquals(0.0, y.sum(3).sub(1.0).amaxNumber().doubleValue(), 0.0);
        INDArray maps = split.labelMaps(it.lastPositions());
        assertArrayEquals(new long[] {4, side, side}, maps.shape());
        assertEquals(DataType.INT, maps.dataType());
        assertEquals(maps.castTo(DataType.LONG), y.argMax(3).castTo(DataType.LONG));
        int p = it.lastPositions()[2];
        SegmentationSet.Canvas c = split.canvas(p);
        assertEquals(c.image()[3 * (5 * side + 7) + 1], x.getFloat(2, 5, 7, 1));
        assertArrayEquals(split.labelMap(p), maps.slice(2).reshape(side * side).toIntVector());
        assertEquals(x.sumNumber(), split.dataSet(new int[] {it.lastPositions()[0], it.lastPositions()[1],
                it.lastPositions()[2], it.lastPositions()[3]}).getFeatures().sumNumber());
    }

    @Test
    void taxonomiesAreAsDocumented() {
        assertEquals(11, Taxonomy.FINE.numClasses());
        assertEquals("background", Taxonomy.FINE.classNames().get(0));
        assertEquals("Ankle boot", Taxonomy.FINE.classNames().get(10));
        for (int k = 0; k < 10; k++) assertEquals(k + 1, Taxonomy.FINE.labelOf(k));
        assertEquals(List.of("background", "top", "trousers", "dress", "footwear", "bag"), Taxonomy.COARSE.classNames());
        int[] coarse = new int[10];
        for (int k = 0; k < 10; k++) coarse[k] = Taxonomy.COARSE.labelOf(k);
        assertArrayEquals(new int[] {1, 2, 1, 3, 1, 4, 1, 4, 5, 4}, coarse);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Taxonomy.of("bad", List.of("background", "a", "b"), new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
        assertTrue(e.getMessage().contains("label 2 (b) is not used"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Taxonomy.of("bad", List.of("background", "a"), new int[] {0, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
        assertTrue(e.getMessage().contains("Fashion-MNIST class 0 (T-shirt/top) maps to 0"), e.getMessage());
        Taxonomy binary = Taxonomy.of("binary", List.of("background", "garment"), new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        SegmentationSet set = build(SegmentationSet.builder().taxonomy(binary).sizes(5, 0, 0));
        assertEquals(2, set.train().iterator(5, false, 0).next().getLabels().size(3));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> SegmentationSet.builder().canvasSize(20));
        assertThrows(IllegalArgumentException.class, () -> SegmentationSet.builder().objectsPerCanvas(3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(SegmentationSet.builder().canvasSize(50).scale(1, 2)));
        assertTrue(e.getMessage().contains("larger than the canvas"), e.getMessage());
    }
}
