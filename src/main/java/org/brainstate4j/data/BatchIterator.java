package org.brainstate4j.data;

import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Mini-batches over {@code size} indexed examples, in order or shuffled by seed. Epoch {@code e}
 * uses the permutation determined by {@code (seed, e)}, so two iterators with the same seed give
 * the same batches epoch after epoch. A new iterator is at epoch 0; {@link #reset()} moves to the
 * next epoch if any batch of the current one has been taken (SameDiff's {@code fit} resets between
 * epochs), and otherwise just rewinds. The last batch of an epoch may be smaller.
 */
abstract class BatchIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private int epoch;
    private int cursor;
    private int[] order;
    private int[] lastPositions = new int[0];
    private DataSetPreProcessor preProcessor;

    BatchIterator(int size, int batchSize, boolean shuffle, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        this.size = size;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = orderFor(0);
    }

    /** Builds the batch holding examples {@code positions} (indices into the underlying set), in that order. */
    protected abstract DataSet build(int[] positions);

    private int[] orderFor(int e) {
        return shuffle ? Rngs.permutation(size, Rngs.of(seed, e)) : null;
    }

    /** The current epoch, 0 for a new iterator. */
    public int epoch() {
        return epoch;
    }

    /** Number of examples per epoch. */
    public int size() {
        return size;
    }

    /** Indices (into the underlying set) of the examples in the last batch returned, in batch order. */
    public int[] lastPositions() {
        return lastPositions.clone();
    }

    @Override
    public boolean hasNext() {
        return cursor < size;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) throw new NoSuchElementException("epoch " + epoch + " is exhausted; call reset()");
        if (num < 1) throw new IllegalArgumentException("num must be at least 1, got " + num);
        int n = Math.min(num, size - cursor);
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) positions[i] = order == null ? cursor + i : order[cursor + i];
        cursor += n;
        lastPositions = positions;
        DataSet ds = build(positions);
        if (preProcessor != null) preProcessor.preProcess(ds);
        return ds;
    }

    @Override
    public void reset() {
        if (cursor > 0) {
            epoch++;
            order = orderFor(epoch);
        }
        cursor = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: batches are cheap to build, and a prefetching wrapper would only blur the epoch logic. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public abstract List<String> getLabels();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[size " + size + ", batch " + batchSize + ", shuffle " + shuffle
                + ", epoch " + epoch + ", at " + cursor + "]";
    }
}
