package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brainstate4j.graph.SameDiffNoise;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.records.History;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** {@link Training#fit} on a real SameDiff regression: the losses it reports are the graph's losses. */
class TrainingTest {
    private static final int BATCH = 16;

    @BeforeAll
    static void quiet() {
        SameDiffNoise.install();
    }

    /** y = x w + b on 4 features, mean squared error; also ProgressListenerTest's model. */
    static SameDiff regression(boolean labelMapping) {
        Nd4j.getRandom().setSeed(7);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 1);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 4, 1).muli(0.1));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1));
        sd.loss().meanSquaredError("loss", label, x.mmul(w).add(b), null);
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(new Adam(1e-2)).dataSetFeatureMapping("x");
        if (labelMapping) tc.dataSetLabelMapping("label");
        else tc.markLabelsUnused();
        sd.setTrainingConfig(tc.build());
        return sd;
    }

    private static List<DataSet> batches() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 96, 4);
        INDArray y = x.mmul(Nd4j.createFromArray(new float[][] {{1f}, {-2f}, {0.5f}, {3f}})).addi(0.5);
        return new DataSet(x, y).asList();
    }

    /** Every iteration's loss as listeners see it. */
    private static final class Losses extends BaseListener {
        final List<Double> values = new ArrayList<>();

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            values.add(loss.totalLoss());
        }
    }

    @Test
    void sameDiffsOwnFitReportsZeroLossOnM21() {
        // Canary for the bug FitLossWorkaround handles (deeplearning4j #9684/#9806): when this fails after
        // a DL4J upgrade, plain sd.fit reports real losses and the workaround can go.
        Losses seen = new Losses();
        History h = regression(true).fit(new ListDataSetIterator<>(batches(), BATCH), 1, seen);
        String fixed = "DL4J fixed sd.fit's loss (always 0): remove workaround train.FitLossWorkaround";
        assertEquals(0.0, h.lossCurve().meanLoss("loss")[0], fixed);
        assertTrue(seen.values.stream().allMatch(l -> l == 0), fixed + ": " + seen.values);
    }

    @Test
    void reportsTheLossTheGraphComputesAndLeavesTheConfigurationAlone() {
        SameDiff sd = regression(true);
        List<DataSet> data = batches();
        DataSet first = new DataSet(Nd4j.concat(0, data.subList(0, BATCH).stream().map(DataSet::getFeatures)
                .toArray(INDArray[]::new)), Nd4j.concat(0, data.subList(0, BATCH).stream().map(DataSet::getLabels)
                .toArray(INDArray[]::new)));
        // the loss of the first batch under the initial parameters, computed by the graph itself
        double before = sd.output(Map.of("x", first.getFeatures(), "label", first.getLabels()), "loss")
                .get("loss").getDouble(0);

        Losses seen = new Losses();
        History h = Training.fit(sd, new ListDataSetIterator<>(data, BATCH), 3, seen);

        assertEquals(3 * 6, seen.values.size());
        assertEquals(before, seen.values.get(0), 1e-5 * before, "first step's loss");
        float[] curve = h.lossCurve().meanLoss("loss");
        assertEquals(3, curve.length);
        for (int e = 0; e < 3; e++) {
            double mean = seen.values.subList(6 * e, 6 * e + 6).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertEquals(mean, curve[e], 1e-5 * mean, "History's mean loss of epoch " + e);
        }
        assertTrue(curve[2] < curve[0], "the regression learns: " + java.util.Arrays.toString(curve));
        assertFalse(sd.getTrainingConfig().getTrainEvaluations().containsKey("loss"));
        assertFalse(sd.getTrainingConfig().getTrainEvaluationLabels().containsKey("loss"));
    }

    @Test
    void refusesWhatItCannotTrain() {
        ListDataSetIterator<DataSet> data = new ListDataSetIterator<>(batches(), BATCH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.fit(regression(true), data, 0));
        assertEquals("epochs (=0) must be at least 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Training.fit(regression(false), data, 1));
        assertTrue(e.getMessage().startsWith("the TrainingConfig has no dataSetLabelMapping"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Training.fit(SameDiff.create(), data, 1));
        assertEquals("sd has no TrainingConfig: call sd.setTrainingConfig(...) first", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Training.fit(regression(true), data, 1, new Losses(), null));
        assertEquals("listeners[1] must not be null", e.getMessage());
    }
}
