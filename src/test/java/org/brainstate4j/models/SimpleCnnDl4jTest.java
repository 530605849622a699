package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.brainstate4j.dl4j.ScoreKeepingModelSaver;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The tutorial's SimpleCNN as a DL4J MultiLayerNetwork: the SameDiff network's weights and output, DL4J's training tools. */
class SimpleCnnDl4jTest {

    static NeuralNetConfiguration.Builder defaults() {
        return new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).dataType(DataType.FLOAT);
    }

    @ParameterizedTest(name = "weightStandardized={0}")
    @ValueSource(booleans = {false, true})
    void sameInitialParametersAndOutputAsTheSameDiffNetwork(boolean ws) throws Exception {
        SimpleCNN.Builder builder = SimpleCNN.builder().inSize(28, 28, 1).weightStandardized(ws).groupNormGroups(8).seed(5);
        SimpleCNN samediff = builder.build();
        MultiLayerNetwork net = new MultiLayerNetwork(builder.toDl4j(defaults()));
        net.init();

        List<INDArray> expected = new ArrayList<>(samediff.parameters().values());
        List<INDArray> actual = new ArrayList<>(net.paramTable().values());
        assertEquals(expected.size(), actual.size(), "parameters " + net.paramTable().keySet());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i).reshape(expected.get(i).shape()), net.paramTable().keySet().toArray()[i].toString());
        }

        INDArray x = FashionMnist.test().first(16).toDataSet().getFeatures();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, x.shape());
        SDVariable probabilities = sd.nn().softmax(samediff.apply(sd, in), 1);
        INDArray reference = sd.output(Map.of("x", x), probabilities.name()).get(probabilities.name());
        INDArray dl4j = net.output(x);
        assertTrue(reference.equalsWithEps(dl4j, 1e-5), () -> "output differs:\n" + reference + "\nvs\n" + dl4j);
    }

    @Test
    void earlyStoppingEvaluationAndModelSerializer(@TempDir Path dir) throws Exception {
        LabelledImages.TrainValidation split = FashionMnist.train().first(1300).holdOutLast(300);
        MultiLayerNetwork net = new MultiLayerNetwork(SimpleCNN.builder().inSize(28, 28, 1).weightStandardized(true)
                .seed(3).toDl4j(defaults()));
        net.init();
        DataSet validation = split.validation().toDataSet();
        EarlyStoppingConfiguration<MultiLayerNetwork> early = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(3), new ScoreImprovementEpochTerminationCondition(1))
                .scoreCalculator(new DataSetLossCalculator(new ListDataSetIterator<>(validation.asList(), 100), true))
                // DL4J's InMemoryModelSaver alone: getBestModelScore() reads 0 (see ScoreKeepingModelSaver)
                .modelSaver(ScoreKeepingModelSaver.inMemory())
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result =
                new EarlyStoppingTrainer(early, net, split.train().iterator(50, true, 1)).fit();
        MultiLayerNetwork best = result.getBestModel();
        Evaluation eval = best.evaluate(FashionMnist.test().first(500).iterator(250, false, 0));
        INDArray probabilities = best.output(validation.getFeatures());
        double validationLoss = -Transforms.log(probabilities).mul(validation.getLabels()).sumNumber().doubleValue()
                / validation.numExamples();
        System.out.printf("SimpleCNN (WS + GroupNorm) as MultiLayerNetwork: %d epochs (%s), validation loss per epoch %s, best epoch %d "
                        + "(early-stopping score %.4f), validation loss from output() %.4f, test accuracy %.3f on 500 images%n",
                result.getTotalEpochs(), result.getTerminationDetails(), result.getScoreVsEpoch(), result.getBestModelEpoch(),
                result.getBestModelScore(), validationLoss, eval.accuracy());
        assertEquals(validationLoss, result.getBestModelScore(), 1e-4 * validationLoss, "early stopping sees the real validation loss");
        assertEquals(result.getScoreVsEpoch().get(result.getBestModelEpoch()), result.getBestModelScore(), 1e-9);
        assertTrue(eval.accuracy() > 0.7, "accuracy " + eval.accuracy());

        File file = dir.resolve("simple-cnn.zip").toFile();
        ModelSerializer.writeModel(best, file, true);
        MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        DataSet batch = split.train().first(50).toDataSet();
        assertEquals(best.output(batch.getFeatures()), reloaded.output(batch.getFeatures()));
        best.fit(batch);
        reloaded.fit(batch);
        assertEquals(best.params(), reloaded.params(), "training continues exactly after the reload");
    }
}
