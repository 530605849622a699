package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.brainstate4j.data.SegmentationSet;
import org.brainstate4j.data.SegmentationSplit;
import org.brainstate4j.dl4j.ScoreKeepingModelSaver;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingGraphTrainer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The tutorial's SimpleUNet (skip connections concatenated) as a DL4J ComputationGraph: the SameDiff
 * network's weights and output, plain and WS + GroupNorm; DL4J's fit, early stopping on the real
 * validation loss, per-pixel Evaluation and ModelSerializer on the composed segmentation set.
 */
class SimpleUNetDl4jTest {
    private static SegmentationSet set;

    static synchronized SegmentationSet canvases() throws Exception {
        if (set == null) set = SegmentationSet.builder().objectsPerCanvas(1, 3).sizes(128, 32, 0).seed(9).build();
        return set;
    }

    static SimpleUNet.Builder unet(boolean ws, int seed) throws Exception {
        return SimpleUNet.builder().inSize(64, 64, 3).numClasses(canvases().numClasses()).width(8).groupNormGroups(4)
                .weightStandardized(ws).seed(seed);
    }

    /** Softmax cross-entropy per pixel, written out: summed over the pixels, mean over the batch. */
    static double loss(INDArray probabilities, INDArray oneHot) {
        return -Transforms.log(probabilities).mul(oneHot).sumNumber().doubleValue() / oneHot.size(0);
    }

    /** Share of pixels whose most probable class is the label. */
    static double pixelAccuracy(INDArray probabilities, INDArray oneHot) {
        INDArray predicted = probabilities.argMax(3);
        INDArray truth = oneHot.argMax(3);
        return predicted.eq(truth).castTo(DataType.FLOAT).meanNumber().doubleValue();
    }

    @ParameterizedTest(name = "weightStandardized={0}")
    @ValueSource(booleans = {false, true})
    void sameInitialParametersAndOutputAsTheSameDiffNetwork(boolean ws) throws Exception {
        SimpleUNet.Builder builder = unet(ws, 5);
        SimpleUNet samediff = builder.build();
        ComputationGraph graph = new ComputationGraph(builder.toDl4j(SimpleCnnDl4jTest.defaults()));
        graph.init();

        Map<String, INDArray> expected = new TreeMap<>();
        samediff.parameters().forEach((name, value) -> expected.put(name.replace('/', '_'), value));
        assertEquals(expected.keySet(), new TreeMap<>(graph.paramTable()).keySet(), "parameter names");
        expected.forEach((name, value) -> assertEquals(value, graph.paramTable().get(name).reshape(value.shape()), name));

        DataSet batch = canvases().validation().dataSet(0, 6);
        INDArray x = batch.getFeatures();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, x.shape());
        SDVariable probabilities = sd.nn().softmax(samediff.apply(sd, in), 3);
        INDArray reference = sd.output(Map.of("x", x), probabilities.name()).get(probabilities.name());
        INDArray dl4j = graph.outputSingle(x);
        assertTrue(reference.equalsWithEps(dl4j, 1e-5), () -> "output differs: max |diff| " + Transforms.abs(reference.sub(dl4j)).maxNumber());
        double loss = loss(dl4j, batch.getLabels());
        assertEquals(loss, graph.score(batch), 1e-5 * loss, "DL4J's score is the cross-entropy of output()");
    }

    @Test
    void configurationSurvivesJsonAndTheNetworkItsClone() throws Exception {
        ComputationGraphConfiguration conf = unet(false, 1).toDl4j(SimpleCnnDl4jTest.defaults());
        String json = conf.toJson();
        assertEquals(json, ComputationGraphConfiguration.fromJson(json).toJson());
        assertTrue(json.contains("\"mergeAxis\" : 3"), "the skip connections concatenate the NHWC channels");
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray x = canvases().validation().dataSet(0, 2).getFeatures();
        assertEquals(graph.outputSingle(x), graph.clone().outputSingle(x), "a clone (early stopping's saver) computes the same");
    }

    @Test
    void earlyStoppingOnTheValidationLossEvaluationAndModelSerializer(@TempDir Path dir) throws Exception {
        SegmentationSplit train = canvases().train();
        SegmentationSplit validationSplit = canvases().validation();
        ComputationGraph graph = new ComputationGraph(unet(true, 3).toDl4j(SimpleCnnDl4jTest.defaults()));
        graph.init();
        DataSet validation = validationSplit.dataSet(0, validationSplit.size());
        double initialAccuracy = pixelAccuracy(graph.outputSingle(validation.getFeatures()), validation.getLabels());

        EarlyStoppingConfiguration<ComputationGraph> early = new EarlyStoppingConfiguration.Builder<ComputationGraph>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(3), new ScoreImprovementEpochTerminationCondition(1))
                .scoreCalculator(new DataSetLossCalculator(validationSplit.iterator(16, false, 0), true))
                .modelSaver(ScoreKeepingModelSaver.inMemory())
                .build();
        EarlyStoppingResult<ComputationGraph> result =
                new EarlyStoppingGraphTrainer(early, graph, train.iterator(16, true, 1)).fit();
        ComputationGraph best = result.getBestModel();
        INDArray probabilities = best.outputSingle(validation.getFeatures());
        double bestLoss = loss(probabilities, validation.getLabels());
        System.out.printf("SimpleUNet (WS + GroupNorm, width 8) as ComputationGraph: %d epochs (%s), validation loss per epoch %s, "
                        + "best epoch %d: early-stopping score %.4f, loss from output() %.4f%n", result.getTotalEpochs(),
                result.getTerminationDetails(), result.getScoreVsEpoch(), result.getBestModelEpoch(), result.getBestModelScore(), bestLoss);
        assertEquals(bestLoss, result.getBestModelScore(), 1e-4 * bestLoss, "early stopping sees the real validation loss");
        assertEquals(result.getScoreVsEpoch().get(result.getBestModelEpoch()), result.getBestModelScore(), 1e-9);

        Evaluation eval = new Evaluation(canvases().numClasses());
        eval.setAxis(3); // NHWC: every pixel one example, classes on the last axis
        best.doEvaluation(validationSplit.iterator(16, false, 0), eval);
        double accuracy = pixelAccuracy(probabilities, validation.getLabels());
        System.out.printf("Evaluation per pixel: accuracy %.4f (from output() %.4f, untrained %.4f)%n", eval.accuracy(), accuracy, initialAccuracy);
        assertEquals(accuracy, eval.accuracy(), 1e-6);
        assertEquals(validationSplit.size() * 64 * 64, eval.getNumRowCounter(), "every pixel evaluated once");
        assertTrue(accuracy > initialAccuracy, "pixel accuracy " + initialAccuracy + " -> " + accuracy);

        File file = dir.resolve("unet.zip").toFile();
        ModelSerializer.writeModel(best, file, true);
        ComputationGraph reloaded = ModelSerializer.restoreComputationGraph(file, true);
        DataSet batch = train.dataSet(0, 16);
        assertEquals(best.outputSingle(batch.getFeatures()), reloaded.outputSingle(batch.getFeatures()));
        best.fit(batch);
        reloaded.fit(batch);
        assertEquals(best.params(), reloaded.params(), "training continues exactly after the reload");
    }
}
