package org.brainstate4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Fashion-MNIST loading, views, splits and the DataSetIterator, on the shipped files. */
class FashionMnistTest {

    @Test
    void loadsBothSplitsWithClassNames() {
        LabelledImages train = Shipped.train();
        LabelledImages test = Shipped.test();
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        assertEquals(10, train.numClasses());
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1_000);
        assertArrayEquals(thousand, test.classCounts());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot"), train.classNames());
        // The first training image is an ankle boot, the first test image too (upstream's README).
        assertEquals(9, train.label(0));
        assertEquals(9, test.label(0));
    }

    @Test
    void imagesAreFloatsInUnitRange() {
        LabelledImages test = Shipped.test();
        float[] img = test.image(17);
        assertEquals(784, img.length);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                float v = img[r * 28 + c];
                assertTrue(v >= 0f && v <= 1f);
                assertEquals(test.rawPixel(17, r, c) / 255f, v);
            }
        }
    }

    @Test
    void dataSetIsNhwcWithOneHotLabels() {
        LabelledImages test = Shipped.test().first(300);
        LabelledImages.Iterator it = test.iterator(128, false, 0);
        assertEquals(784, it.inputColumns());
        assertEquals(10, it.totalOutcomes());
        assertEquals(FashionMnist.CLASS_NAMES, it.getLabels());
        List<Long> sizes = new ArrayList<>();
        int seen = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            INDArray x = ds.getFeatures();
            INDArray y = ds.getLabels();
            long n = x.size(0);
            sizes.add(n);
            assertArrayEquals(new long[] {n, 28, 28, 1}, x.shape());
            assertArrayEquals(new long[] {n, 10}, y.shape());
            assertEquals(DataType.FLOAT, x.dataType());
            assertEquals(DataType.FLOAT, y.dataType());
            for (int b = 0; b < n; b++) {
                int i = seen + b;
                assertEquals(1.0, y.getRow(b).sumNumber().doubleValue(), 0.0);
                assertEquals(test.label(i), y.getRow(b).argMax().getInt(0));
                assertEquals(test.pixel(i, 13, 9), x.getFloat(b, 13, 9, 0));
                assertEquals(test.pixel(i, 27, 27), x.getFloat(b, 27, 27, 0));
            }
            seen += (int) n;
        }
        assertEquals(List.of(128L, 128L, 44L), sizes);
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void shufflingIsDeterministicBySeedAndChangesEachEpoch() {
        LabelledImages data = Shipped.train().first(500);
        List<int[]> a = epochs(data.iterator(64, true, 7), 3);
        List<int[]> b = epochs(data.iterator(64, true, 7), 3);
        List<int[]> c = epochs(data.iterator(64, true, 8), 1);
        for (int e = 0; e < 3; e++) assertArrayEquals(a.get(e), b.get(e), "epoch " + e);
        assertFalse(Arrays.equals(a.get(0), a.get(1)), "epochs 0 and 1 should differ");
        assertFalse(Arrays.equals(a.get(0), c.get(0)), "seeds 7 and 8 should differ");
        for (int[] order : a) {
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]); // each example once per epoch
        }
        // Same batches, not just same order: the features agree.
        DataSet x1 = data.iterator(64, true, 7).next();
        DataSet x2 = data.iterator(64, true, 7).next();
        assertEquals(x1.getFeatures(), x2.getFeatures());
        assertEquals(x1.getLabels(), x2.getLabels());
        // Unshuffled is in order.
        int[] plain = epochs(data.iterator(64, false, 7), 1).get(0);
        for (int i = 0; i < plain.length; i++) assertEquals(i, plain[i]);
    }

    @Test
    void resetWithoutTakingABatchDoesNotSkipAnEpoch() {
        LabelledImages data = Shipped.train().first(100);
        LabelledImages.Iterator it = data.iterator(10, true, 3);
        it.reset();
        it.reset();
        assertEquals(0, it.epoch());
        int[] first = epochs(data.iterator(10, true, 3), 1).get(0);
        it.next();
        assertArrayEquals(Arrays.copyOf(first, 10), it.lastPositions());
        it.reset();
        assertEquals(1, it.epoch());
    }

    @Test
    void holdOutSplitsAreDisjointAndComplete() {
        LabelledImages train = Shipped.train();
        LabelledImages.TrainValidation last = train.holdOutLast(5_000);
        assertEquals(55_000, last.train().size());
        assertEquals(5_000, last.validation().size());
        assertEquals(55_000, last.validation().sourceIndex(0));
        assertEquals(59_999, last.validation().sourceIndex(4_999));
        assertEquals(54_999, last.train().sourceIndex(54_999));

        LabelledImages.TrainValidation random = train.holdOutRandom(5_000, 11);
        assertDisjointAndComplete(random, 60_000);
        LabelledImages.TrainValidation again = train.holdOutRandom(5_000, 11);
        assertArrayEquals(random.validation().sourceIndices(), again.validation().sourceIndices());
        assertFalse(Arrays.equals(random.validation().sourceIndices(), train.holdOutRandom(5_000, 12).validation().sourceIndices()));
        // Roughly stratified by chance: every class has 350..650 validation examples.
        for (int count : random.validation().classCounts()) assertTrue(count > 350 && count < 650, "count " + count);

        // Views of views keep source indices and labels.
        LabelledImages sub = random.train().range(100, 200).sample(50, 5);
        for (int i = 0; i < sub.size(); i++) {
            assertEquals(train.label(sub.sourceIndex(i)), sub.label(i));
            assertEquals(train.rawPixel(sub.sourceIndex(i), 14, 14), sub.rawPixel(i, 14, 14));
        }
        assertEquals(50, Arrays.stream(sub.sourceIndices()).distinct().count());
        assertEquals(1_000, train.first(1_000).size());
        assertThrows(IllegalArgumentException.class, () -> train.holdOutLast(60_001));
    }

    @Test
    void wholeSetAsOneDataSet() {
        LabelledImages small = Shipped.test().range(10, 20);
        DataSet ds = small.toDataSet();
        assertArrayEquals(new long[] {10, 28, 28, 1}, ds.getFeatures().shape());
        INDArray labels = small.labelVector();
        assertEquals(DataType.INT, labels.dataType());
        for (int i = 0; i < 10; i++) {
            assertEquals(Shipped.test().label(10 + i), labels.getInt(i));
            assertEquals(labels.getInt(i), ds.getLabels().getRow(i).argMax().getInt(0));
        }
        assertNotEquals(ds.getFeatures().slice(0), ds.getFeatures().slice(1));
    }

    private static void assertDisjointAndComplete(LabelledImages.TrainValidation tv, int total) {
        Set<Integer> seen = new HashSet<>();
        for (int s : tv.train().sourceIndices()) assertTrue(seen.add(s));
        for (int s : tv.validation().sourceIndices()) assertTrue(seen.add(s), "index " + s + " in both parts");
        assertEquals(total, seen.size());
    }

    /** The example order of {@code n} epochs, via lastPositions(). */
    private static List<int[]> epochs(LabelledImages.Iterator it, int n) {
        List<int[]> out = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            int[] order = new int[0];
            while (it.hasNext()) {
                it.next();
                int[] p = it.lastPositions();
                int old = order.length;
                order = Arrays.copyOf(order, old + p.length);
                System.arraycopy(p, 0, order, old, p.length);
            }
            out.add(order);
            it.reset();
        }
        return out;
    }
}
