package org.brainstate4j.train;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Evaluation metrics from a confusion matrix {@code counts[true][predicted]}: accuracy, per-class
 * intersection over union {@code TP / (TP + FP + FN)} and its mean. Classification fills one entry
 * per sample, segmentation one per pixel.
 */
public final class Metrics {
    private Metrics() {}

    /** Adds {@code argmax(labels) -> argmax(predictions)} over the last axis, for every position, to {@code counts}. */
    public static void accumulate(long[][] counts, INDArray oneHotLabels, INDArray predictions) {
        checkArgument(Arrays.equals(oneHotLabels.shape(), predictions.shape()),
                "labels of shape %s and predictions of shape %s must have the same shape",
                oneHotLabels.shape(), predictions.shape());
        int axis = oneHotLabels.rank() - 1;
        checkArgument(oneHotLabels.size(axis) == counts.length,
                "the last axis (=%s) must equal the number of classes (=%s)", oneHotLabels.size(axis), counts.length);
        int[] truth = Nd4j.argMax(oneHotLabels, axis).castTo(DataType.INT).data().asInt();
        int[] predicted = Nd4j.argMax(predictions, axis).castTo(DataType.INT).data().asInt();
        for (int i = 0; i < truth.length; i++) counts[truth[i]][predicted[i]]++;
    }

    /** Fraction of entries on the diagonal. */
    public static double accuracy(long[][] counts) {
        long correct = 0;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
            total += Arrays.stream(counts[i]).sum();
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Per-class IoU; NaN for a class that appears neither in the truth nor in the predictions. */
    public static double[] iou(long[][] counts) {
        int n = counts.length;
        double[] out = new double[n];
        for (int c = 0; c < n; c++) {
            long tp = counts[c][c];
            long fn = Arrays.stream(counts[c]).sum() - tp;
            long fp = 0;
            for (int r = 0; r < n; r++) {
                if (r != c) fp += counts[r][c];
            }
            long union = tp + fp + fn;
            out[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return out;
    }

    /** Mean of the defined (non-NaN) per-class values. */
    public static double mean(double[] perClass) {
        return Arrays.stream(perClass).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    /** Per-class recall: the diagonal over each row's total. */
    static double[] recall(long[][] counts) {
        double[] out = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            long total = Arrays.stream(counts[c]).sum();
            out[c] = total == 0 ? Double.NaN : (double) counts[c][c] / total;
        }
        return out;
    }
}
