package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brainstate4j.data.SegmentationSet;
import org.brainstate4j.data.SegmentationSplit;
import org.brainstate4j.dl4j.ScoreKeepingModelSaver;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The tutorial's ConvAutoencoder as a DL4J MultiLayerNetwork: the SameDiff network's weights and
 * reconstruction, plain and WS + GroupNorm; DL4J's fit, early stopping on the real validation loss, RegressionEvaluation and
 * ModelSerializer on canvases composed from the shipped Fashion-MNIST.
 */
class ConvAutoencoderDl4jTest {
    private static SegmentationSplit[] splits;

    /** Canvases as the autoencoder's training data (64x64x3), composed once: train, validation. */
    static synchronized SegmentationSplit[] canvases() throws Exception {
        if (splits == null) {
            SegmentationSet set = SegmentationSet.builder().objectsPerCanvas(1, 4).sizes(96, 32, 0).seed(7).build();
            splits = new SegmentationSplit[] {set.train(), set.validation()};
        }
        return splits;
    }

    /** Features as their own labels, in batches. */
    static DataSetIterator selfSupervised(SegmentationSplit split, int batch) {
        INDArray x = split.dataSet(0, split.size()).getFeatures();
        return new ListDataSetIterator<>(new DataSet(x, x).asList(), batch);
    }

    /** DL4J's MSE score, written out: squared error summed over pixels, mean over channels, mean over the batch. */
    static double loss(INDArray reconstruction, INDArray target) {
        double squared = Transforms.pow(reconstruction.sub(target), 2).sumNumber().doubleValue();
        return squared / target.size(3) / target.size(0);
    }

    @ParameterizedTest(name = "weightStandardized={0}")
    @ValueSource(booleans = {false, true})
    void sameInitialParametersAndOutputAsTheSameDiffNetwork(boolean ws) throws Exception {
        ConvAutoencoder.Builder builder = ConvAutoencoder.builder().latentDim(32).weightStandardized(ws).seed(5);
        ConvAutoencoder samediff = builder.build();
        MultiLayerNetwork net = new MultiLayerNetwork(builder.toDl4j(SimpleCnnDl4jTest.defaults()));
        net.init();

        List<String> names = new ArrayList<>(samediff.parameters().keySet());
        List<String> dl4jNames = new ArrayList<>(net.paramTable().keySet());
        assertEquals(names.size(), dl4jNames.size(), "parameters " + dl4jNames + " vs " + names);
        for (int i = 0; i < names.size(); i++) {
            INDArray expected = samediff.parameters().get(names.get(i));
            assertEquals(expected, net.paramTable().get(dl4jNames.get(i)).reshape(expected.shape()), dl4jNames.get(i) + " vs " + names.get(i));
        }

        INDArray x = canvases()[1].dataSet(0, 8).getFeatures();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, x.shape());
        SDVariable out = samediff.apply(sd, in);
        INDArray reference = sd.output(Map.of("x", x), out.name()).get(out.name());
        INDArray dl4j = net.output(x);
        assertTrue(reference.equalsWithEps(dl4j, 1e-5), () -> "reconstruction differs: max |diff| "
                + Transforms.abs(reference.sub(dl4j)).maxNumber());
        assertEquals(loss(dl4j, x), net.score(new DataSet(x, x)), 1e-5 * loss(dl4j, x), "DL4J's score is the MSE of output()");
    }

    @Test
    void earlyStoppingOnTheValidationLossRegressionEvaluationAndModelSerializer(@TempDir Path dir) throws Exception {
        SegmentationSplit[] data = canvases();
        MultiLayerNetwork net = new MultiLayerNetwork(ConvAutoencoder.builder().latentDim(32).seed(3)
                .toDl4j(SimpleCnnDl4jTest.defaults()));
        net.init();
        INDArray validation = data[1].dataSet(0, data[1].size()).getFeatures();
        double initialLoss = loss(net.output(validation), validation);

        EarlyStoppingConfiguration<MultiLayerNetwork> early = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(4), new ScoreImprovementEpochTerminationCondition(1))
                .scoreCalculator(new DataSetLossCalculator(selfSupervised(data[1], 16), true))
                .modelSaver(ScoreKeepingModelSaver.inMemory())
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(early, net, selfSupervised(data[0], 16)).fit();
        MultiLayerNetwork best = result.getBestModel();
        double bestLoss = loss(best.output(validation), validation);
        System.out.printf("ConvAutoencoder as MultiLayerNetwork: %d epochs (%s), validation loss per epoch %s, best epoch %d: "
                        + "early-stopping score %.4f, loss from output() %.4f (untrained %.4f)%n", result.getTotalEpochs(),
                result.getTerminationDetails(), result.getScoreVsEpoch(), result.getBestModelEpoch(), result.getBestModelScore(),
                bestLoss, initialLoss);
        assertEquals(bestLoss, result.getBestModelScore(), 1e-4 * bestLoss, "early stopping sees the real validation loss");
        assertEquals(result.getScoreVsEpoch().get(result.getBestModelEpoch()), result.getBestModelScore(), 1e-9);
        assertTrue(bestLoss < 0.95 * initialLoss, "validation loss " + initialLoss + " -> " + bestLoss);

        RegressionEvaluation eval = new RegressionEvaluation(3);
        eval.setAxis(3); // NHWC: one column per channel
        best.doEvaluation(selfSupervised(data[1], 16), eval);
        double mse = Transforms.pow(best.output(validation).sub(validation), 2).meanNumber().doubleValue();
        System.out.printf("RegressionEvaluation: MSE per pixel and channel %.5f (from output() %.5f)%n", eval.averageMeanSquaredError(), mse);
        assertEquals(mse, eval.averageMeanSquaredError(), 1e-4 * mse);

        File file = dir.resolve("autoencoder.zip").toFile();
        ModelSerializer.writeModel(best, file, true);
        MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        DataSet batch = selfSupervised(data[0], 16).next();
        assertEquals(best.output(batch.getFeatures()), reloaded.output(batch.getFeatures()));
        best.fit(batch);
        reloaded.fit(batch);
        assertEquals(best.params(), reloaded.params(), "training continues exactly after the reload");
    }
}
