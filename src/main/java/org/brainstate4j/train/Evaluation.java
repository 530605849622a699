package org.brainstate4j.train;

import java.util.List;

/**
 * The result of evaluating a model on one split: its headline metric and, for classification and
 * segmentation, the confusion counts and per-class values behind it.
 *
 * @param metric name of the headline metric, e.g. {@code accuracy}, {@code mean IoU}, {@code MSE}
 * @param higherIsBetter whether a larger value is better
 * @param confusion counts[true][predicted], or null (reconstruction)
 * @param perClass per-class recall (classification) or IoU (segmentation), or null
 */
public record Evaluation(String metric, double value, boolean higherIsBetter, long[][] confusion,
                         double[] perClass, List<String> classNames, long samples) {
}
