package org.brainstate4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled greyscale images (one split of Fashion-MNIST, or any view of one): the pixels stay as
 * the file's unsigned bytes, shared by every view, and become float32 in {@code [0, 1]} only when
 * a batch is built. Views ({@link #range}, {@link #select}, {@link #sample}, the hold-out splits)
 * copy nothing but an index array. Each example remembers its {@link #sourceIndex} in the file.
 */
public final class LabelledImages {
    private final String name;
    private final byte[] pixels;
    private final byte[] labels;
    private final int rows;
    private final int cols;
    private final int numClasses;
    private final List<String> classNames;
    /** Source index of each example; null means the identity over {@code 0 .. labels.length-1}. */
    private final int[] index;

    LabelledImages(String name, byte[] pixels, byte[] labels, int rows, int cols, List<String> classNames) {
        this(name, pixels, labels, rows, cols, classNames, null);
    }

    private LabelledImages(String name, byte[] pixels, byte[] labels, int rows, int cols, List<String> classNames, int[] index) {
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.numClasses = classNames.size();
        this.classNames = List.copyOf(classNames);
        this.index = index;
    }

    /** A train/validation pair from one set, disjoint by construction. */
    public record TrainValidation(LabelledImages train, LabelledImages validation) {}

    /** Where this came from, e.g. {@code "train"}, {@code "train[55000:60000]"}. */
    public String name() {
        return name;
    }

    public int size() {
        return index == null ? labels.length : index.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Class names, index = label. */
    public List<String> classNames() {
        return classNames;
    }

    /** Index of example {@code i} in the underlying file. */
    public int sourceIndex(int i) {
        if (i < 0 || i >= size()) throw new IndexOutOfBoundsException("example " + i + " of " + size() + " in " + name);
        return index == null ? i : index[i];
    }

    /** Source indices of all examples, in order. */
    public int[] sourceIndices() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) out[i] = sourceIndex(i);
        return out;
    }

    /** Label of example {@code i}, {@code 0 .. numClasses()-1}. */
    public int label(int i) {
        return labels[sourceIndex(i)] & 0xFF;
    }

    /** Raw pixel {@code (r, c)} of example {@code i}, 0..255. */
    public int rawPixel(int i, int r, int c) {
        return pixels[sourceIndex(i) * rows * cols + r * cols + c] & 0xFF;
    }

    /** Pixel {@code (r, c)} of example {@code i} in {@code [0, 1]}. */
    public float pixel(int i, int r, int c) {
        return rawPixel(i, r, c) / 255f;
    }

    /** Example {@code i} as {@code rows*cols} floats in {@code [0, 1]}, row-major (a fresh array). */
    public float[] image(int i) {
        float[] out = new float[rows * cols];
        copyImage(i, out, 0);
        return out;
    }

    /** Example {@code i}'s raw bytes, row-major (a fresh array). */
    public byte[] rawImage(int i) {
        int off = sourceIndex(i) * rows * cols;
        return Arrays.copyOfRange(pixels, off, off + rows * cols);
    }

    void copyImage(int i, float[] dst, int dstOff) {
        int off = sourceIndex(i) * rows * cols;
        for (int p = 0; p < rows * cols; p++) dst[dstOff + p] = (pixels[off + p] & 0xFF) / 255f;
    }

    /** How many examples carry each label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int i = 0; i < size(); i++) counts[label(i)]++;
        return counts;
    }

    // ---- views -------------------------------------------------------------------------------

    /** Examples {@code from} (inclusive) to {@code to} (exclusive). */
    public LabelledImages range(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + size() + " examples in " + name);
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) idx[i] = sourceIndex(from + i);
        return new LabelledImages(name + "[" + from + ":" + to + "]", pixels, labels, rows, cols, classNames, idx);
    }

    /** The first {@code n} examples (a quick-run subset); all of them if {@code n >= size()}. */
    public LabelledImages first(int n) {
        return range(0, Math.min(n, size()));
    }

    /** The examples at {@code positions} (indices into this view), in that order. */
    public LabelledImages select(int[] positions) {
        int[] idx = new int[positions.length];
        for (int i = 0; i < idx.length; i++) idx[i] = sourceIndex(positions[i]);
        return new LabelledImages(name + "[" + positions.length + " selected]", pixels, labels, rows, cols, classNames, idx);
    }

    /** {@code n} examples drawn without replacement, determined by {@code seed}, in random order. */
    public LabelledImages sample(int n, long seed) {
        checkCount(n, "sample size");
        int[] perm = Rngs.permutation(size(), Rngs.of(seed, 0x5a3b1e));
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = sourceIndex(perm[i]);
        return new LabelledImages(name + "[sample " + n + ", seed " + seed + "]", pixels, labels, rows, cols, classNames, idx);
    }

    /** The last {@code n} examples become the validation set, the rest (in order) the training set. */
    public TrainValidation holdOutLast(int n) {
        checkCount(n, "validation size");
        return new TrainValidation(range(0, size() - n), range(size() - n, size()));
    }

    /**
     * {@code n} examples chosen by {@code seed} become the validation set; both parts keep this
     * view's order.
     */
    public TrainValidation holdOutRandom(int n, long seed) {
        checkCount(n, "validation size");
        SplittableRandom rng = Rngs.of(seed, 0x7a11d);
        int[] perm = Rngs.permutation(size(), rng);
        boolean[] val = new boolean[size()];
        for (int i = 0; i < n; i++) val[perm[i]] = true;
        int[] t = new int[size() - n];
        int[] v = new int[n];
        for (int i = 0, ti = 0, vi = 0; i < size(); i++) {
            if (val[i]) v[vi++] = sourceIndex(i);
            else t[ti++] = sourceIndex(i);
        }
        String tag = "[holdout " + n + ", seed " + seed + "]";
        return new TrainValidation(new LabelledImages(name + tag + ".train", pixels, labels, rows, cols, classNames, t),
                new LabelledImages(name + tag + ".validation", pixels, labels, rows, cols, classNames, v));
    }

    private void checkCount(int n, String what) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException(what + " must be in 0.." + size() + " (the size of " + name + "), got " + n);
        }
    }

    // ---- ND4J --------------------------------------------------------------------------------

    /**
     * The examples at {@code positions} as a DataSet: features {@code [n, rows, cols, 1]} (NHWC)
     * float32 in {@code [0, 1]}, labels one-hot {@code [n, numClasses]} float32.
     */
    public DataSet dataSet(int[] positions) {
        int n = positions.length;
        int hw = rows * cols;
        float[] x = new float[n * hw];
        float[] y = new float[n * numClasses];
        for (int b = 0; b < n; b++) {
            copyImage(positions[b], x, b * hw);
            y[b * numClasses + label(positions[b])] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[] {n, rows, cols, 1}, DataType.FLOAT);
        INDArray oneHot = Nd4j.create(y, new long[] {n, numClasses}, DataType.FLOAT);
        return new DataSet(features, oneHot);
    }

    /** All examples, in order, as one DataSet (see {@link #dataSet(int[])}). */
    public DataSet toDataSet() {
        int[] all = new int[size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return dataSet(all);
    }

    /** The labels of all examples as an int32 vector {@code [size]}. */
    public INDArray labelVector() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) out[i] = label(i);
        return Nd4j.create(out, new long[] {out.length}, DataType.INT);
    }

    /**
     * Mini-batches for SameDiff's {@code fit}/{@code evaluate}: see {@link #dataSet(int[])} for
     * shapes. With {@code shuffle}, epoch {@code e} uses the order determined by {@code (seed, e)}.
     */
    public Iterator iterator(int batchSize, boolean shuffle, long seed) {
        return new Iterator(this, batchSize, shuffle, seed);
    }

    /** The iterator of {@link #iterator(int, boolean, long)}. */
    public static final class Iterator extends BatchIterator {
        private static final long serialVersionUID = 1L;
        private final transient LabelledImages data;

        Iterator(LabelledImages data, int batchSize, boolean shuffle, long seed) {
            super(data.size(), batchSize, shuffle, seed);
            this.data = data;
        }

        @Override
        protected DataSet build(int[] positions) {
            return data.dataSet(positions);
        }

        @Override
        public int inputColumns() {
            return data.rows * data.cols;
        }

        @Override
        public int totalOutcomes() {
            return data.numClasses;
        }

        @Override
        public List<String> getLabels() {
            return data.classNames;
        }
    }

    @Override
    public String toString() {
        return "LabelledImages[" + name + ", " + size() + " images " + rows + "x" + cols + ", " + numClasses + " classes]";
    }
}
