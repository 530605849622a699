package org.brainstate4j.data;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One split (train, validation or test) of a {@link SegmentationSet}: {@link #size()} canvases,
 * each composed on demand and identical every time.
 */
public final class SegmentationSplit {
    private final SegmentationSet set;
    private final int split;
    private final String name;
    private final int size;
    /** Canvas {@code i} uses source positions {@code sources[offsets[i] .. offsets[i+1])}. */
    private final int[] offsets;
    private final int[] sources;

    SegmentationSplit(SegmentationSet set, int split, String name, int size, int[] offsets, int[] sources) {
        this.set = set;
        this.split = split;
        this.name = name;
        this.size = size;
        this.offsets = offsets;
        this.sources = sources;
    }

    /** {@code "train"}, {@code "validation"} or {@code "test"}. */
    public String name() {
        return name;
    }

    /** Number of canvases. */
    public int size() {
        return size;
    }

    public int height() {
        return set.canvasSize();
    }

    public int width() {
        return set.canvasSize();
    }

    /** Input channels: 3 (RGB). */
    public int channels() {
        return 3;
    }

    public int numClasses() {
        return set.numClasses();
    }

    public Taxonomy taxonomy() {
        return set.taxonomy();
    }

    /** Canvas {@code i}, composed now. */
    public SegmentationSet.Canvas canvas(int i) {
        check(i);
        return set.compose(split, i, sources, offsets[i], offsets[i + 1]);
    }

    /** The label map of canvas {@code i}, {@code height*width} ints, row-major. */
    public int[] labelMap(int i) {
        byte[] l = canvas(i).labels();
        int[] out = new int[l.length];
        for (int q = 0; q < l.length; q++) out[q] = l[q];
        return out;
    }

    /**
     * Indices (in the Fashion-MNIST file of this split's source) of the images drawn for canvas
     * {@code i}, shown or left out for lack of room.
     */
    public int[] sourceIndices(int i) {
        check(i);
        LabelledImages src = set.sourceOf(split);
        int[] out = new int[offsets[i + 1] - offsets[i]];
        for (int j = 0; j < out.length; j++) out[j] = src.sourceIndex(sources[offsets[i] + j]);
        return out;
    }

    /** Indices (in the source file) of every image this split draws from, sorted and distinct. */
    public int[] allSourceIndices() {
        LabelledImages src = set.sourceOf(split);
        return java.util.Arrays.stream(sources).map(src::sourceIndex).distinct().sorted().toArray();
    }

    /** Pixels per label over the whole split (composes every canvas): e.g. for class weights. */
    public long[] classPixelCounts() {
        long[] counts = new long[numClasses()];
        for (int i = 0; i < size; i++) {
            for (byte l : canvas(i).labels()) counts[l]++;
        }
        return counts;
    }

    /**
     * The canvases at {@code positions} as a DataSet: features {@code [n, H, W, 3]} float32 in
     * {@code [0, 1]} (NHWC), labels one-hot per pixel {@code [n, H, W, numClasses]} float32, ready for
     * a softmax cross-entropy over the last axis.
     */
    public DataSet dataSet(int[] positions) {
        int n = positions.length;
        int hw = height() * width();
        int c = numClasses();
        float[] x = new float[n * hw * 3];
        float[] y = new float[n * hw * c];
        for (int b = 0; b < n; b++) {
            SegmentationSet.Canvas canvas = canvas(positions[b]);
            System.arraycopy(canvas.image(), 0, x, b * hw * 3, hw * 3);
            byte[] labels = canvas.labels();
            int base = b * hw * c;
            for (int q = 0; q < hw; q++) y[base + q * c + labels[q]] = 1f;
        }
        return new DataSet(
                Nd4j.create(x, new long[] {n, height(), width(), 3}, DataType.FLOAT),
                Nd4j.create(y, new long[] {n, height(), width(), c}, DataType.FLOAT));
    }

    /** Canvases {@code from} (inclusive) to {@code to} (exclusive) as a DataSet; see {@link #dataSet(int[])}. */
    public DataSet dataSet(int from, int to) {
        return dataSet(range(from, to));
    }

    /** Integer label maps of the canvases at {@code positions}: int32 {@code [n, H, W]}, e.g. for IoU. */
    public INDArray labelMaps(int[] positions) {
        int hw = height() * width();
        int[] out = new int[positions.length * hw];
        for (int b = 0; b < positions.length; b++) {
            byte[] labels = canvas(positions[b]).labels();
            for (int q = 0; q < hw; q++) out[b * hw + q] = labels[q];
        }
        return Nd4j.create(out, new long[] {positions.length, height(), width()}, DataType.INT);
    }

    /** Integer label maps of canvases {@code from .. to-1}; see {@link #labelMaps(int[])}. */
    public INDArray labelMaps(int from, int to) {
        return labelMaps(range(from, to));
    }

    /**
     * Mini-batches for SameDiff; see {@link #dataSet(int[])} for shapes. With {@code shuffle}, epoch
     * {@code e} uses the order determined by {@code (seed, e)}; {@link Iterator#lastPositions()}
     * gives the canvases of the last batch (for {@link #labelMaps(int[])}).
     */
    public Iterator iterator(int batchSize, boolean shuffle, long seed) {
        return new Iterator(this, batchSize, shuffle, seed);
    }

    private int[] range(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + size + " canvases in " + name);
        }
        int[] p = new int[to - from];
        for (int i = 0; i < p.length; i++) p[i] = from + i;
        return p;
    }

    private void check(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("canvas " + i + " of " + size + " in " + name);
    }

    /** The iterator of {@link #iterator(int, boolean, long)}. */
    public static final class Iterator extends BatchIterator {
        private static final long serialVersionUID = 1L;
        private final transient SegmentationSplit data;

        Iterator(SegmentationSplit data, int batchSize, boolean shuffle, long seed) {
            super(data.size(), batchSize, shuffle, seed);
            this.data = data;
        }

        @Override
        protected DataSet build(int[] positions) {
            return data.dataSet(positions);
        }

        @Override
        public int inputColumns() {
            return data.height() * data.width() * 3;
        }

        @Override
        public int totalOutcomes() {
            return data.numClasses();
        }

        @Override
        public List<String> getLabels() {
            return data.taxonomy().classNames();
        }
    }

    @Override
    public String toString() {
        return "SegmentationSplit[" + name + ", " + size + " canvases " + height() + "x" + width() + ", "
                + numClasses() + " classes]";
    }
}
