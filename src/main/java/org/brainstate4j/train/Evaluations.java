package org.brainstate4j.train;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Running a trained graph over a data set, batch by batch. */
final class Evaluations {
    private Evaluations() {}

    /** The graph's output for one batch's features. */
    static INDArray output(SameDiff sd, INDArray features) {
        Map<String, INDArray> out = sd.output(Map.of(Experiment.INPUT, features), Experiment.OUTPUT);
        return out.get(Experiment.OUTPUT);
    }

    /** Confusion counts (argmax over the last axis of labels and outputs) over every batch of {@code data}. */
    static long[][] confusion(SameDiff sd, DataSetIterator data, int numClasses) {
        long[][] counts = new long[numClasses][numClasses];
        data.reset();
        while (data.hasNext()) {
            DataSet batch = data.next();
            Metrics.accumulate(counts, batch.getLabels(), output(sd, batch.getFeatures()));
        }
        return counts;
    }

    static long total(long[][] counts) {
        return Arrays.stream(counts).flatMapToLong(Arrays::stream).sum();
    }
}
