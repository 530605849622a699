package org.brainstate4j.train;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;

/**
 * The workaround for SameDiff 1.0.0-M2.1's {@code fit} never computing the loss, and the one place
 * that says why.
 *
 * <h2>The bug</h2>
 * In M2.1 a training step executes only what the parameter gradients need, and the backward pass
 * starts from a constant 1 rather than from the loss variable, so the loss op itself never runs
 * during {@code fit}. Every {@code Loss} handed to listeners reads 0, and so does
 * {@code History.lossCurve()} (deeplearning4j issues #9684, #9806, #9853). The parameters still
 * train correctly; only the reported loss is missing. {@code TrainingTest} holds the canary: it
 * fails once plain {@code sd.fit} reports real losses, and this class can then go.
 *
 * <h2>The fix</h2>
 * SameDiff does execute the variables named as training evaluations, and then records the loss. So
 * for the duration of a {@code fit}, every loss variable that is not already there is added to the
 * {@link TrainingConfig}'s training evaluations with an empty list of evaluations (nothing is
 * evaluated; the loss op runs once more per step, a negligible cost), and exactly those entries are
 * removed afterwards. A training evaluation is tied to a label array, so the configuration needs a
 * label mapping (label index 0 is used).
 */
final class FitLossWorkaround implements AutoCloseable {
    private final TrainingConfig config;
    private final List<String> added = new ArrayList<>();

    private FitLossWorkaround(TrainingConfig config) {
        this.config = config;
    }

    /** Makes {@code sd}'s {@code fit} compute its loss variables until {@link #close()}. */
    static FitLossWorkaround install(SameDiff sd) {
        TrainingConfig tc = sd.getTrainingConfig();
        if (tc.getDataSetLabelMapping() == null || tc.getDataSetLabelMapping().isEmpty()) {
            throw new IllegalArgumentException("the TrainingConfig has no dataSetLabelMapping: SameDiff 1.0.0-M2.1"
                    + " computes the loss during fit only as a training evaluation, which needs a label array"
                    + " (for a loss without labels, such as reconstruction, map the target as the label; see FitLossWorkaround)");
        }
        FitLossWorkaround w = new FitLossWorkaround(tc);
        for (String loss : sd.getLossVariables()) {
            if (!tc.getTrainEvaluations().containsKey(loss) && !tc.getTrainEvaluationLabels().containsKey(loss)) {
                tc.getTrainEvaluations().put(loss, new ArrayList<>());
                tc.getTrainEvaluationLabels().put(loss, 0);
                w.added.add(loss);
            }
        }
        return w;
    }

    /** Removes exactly the entries {@link #install} added. */
    @Override
    public void close() {
        for (String loss : added) {
            config.getTrainEvaluations().remove(loss);
            config.getTrainEvaluationLabels().remove(loss);
        }
        added.clear();
    }
}
