package org.brainstate4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingModelSaver;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The three DL4J 1.0.0-M2.1 faults the tutorial networks' DL4J forms work around, each shown on
 * DL4J's own class (a canary: it fails once DL4J is fixed, and the workaround can go) and fixed by
 * brainstate4j's replacement.
 */
class Dl4jWorkaroundsTest {

    private static double scoreOfLossOnly(Layer loss, DataSet data) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(loss).setInputType(InputType.convolutional(4, 5, 3, CNN2DFormat.NHWC)).build());
        net.init();
        return net.score(data);
    }

    @Test
    void cnnLossLayerScoresNhwcDataAsNchwAndDl4jCnnLossLayerDoesNot() {
        Nd4j.getRandom().setSeed(2);
        INDArray logits = Nd4j.randn(DataType.FLOAT, 2, 4, 5, 3);
        float[] oneHot = new float[2 * 4 * 5 * 3];
        for (int pixel = 0; pixel < 2 * 4 * 5; pixel++) oneHot[pixel * 3 + pixel % 3] = 1f;
        INDArray labels = Nd4j.create(oneHot, new long[] {2, 4, 5, 3}, DataType.FLOAT);
        DataSet data = new DataSet(logits, labels);
        INDArray probabilities = Nd4j.nn().softmax(logits, 3);
        double expected = -Transforms.log(probabilities).mul(labels).sumNumber().doubleValue() / 2;

        double dl4j = scoreOfLossOnly(new CnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).format(CNN2DFormat.NHWC).build(), data);
        double fixed = scoreOfLossOnly(Dl4jCnnLossLayer.of(LossFunctions.LossFunction.MCXENT, Activation.SOFTMAX, CNN2DFormat.NHWC, "loss"), data);
        assertNotEquals(expected, dl4j, 1e-3 * expected, "canary: DL4J's CnnLossLayer now scores NHWC right; Dl4jCnnLossLayer can go");
        assertEquals(expected, fixed, 1e-5 * expected);
    }

    @Test
    void mergeVertexCloneDropsTheNhwcAxisAndCloneSafeMergeVertexKeepsIt() {
        InputType half = InputType.convolutional(4, 4, 2, CNN2DFormat.NHWC);
        MergeVertex dl4j = new MergeVertex();
        dl4j.getOutputType(0, half, half);
        assertEquals(3, dl4j.getMergeAxis(), "NHWC inputs merge on the channels");
        assertEquals(1, dl4j.clone().getMergeAxis(), "canary: MergeVertex.clone now keeps the axis; CloneSafeMergeVertex can go");

        CloneSafeMergeVertex fixed = new CloneSafeMergeVertex();
        fixed.getOutputType(0, half, half);
        assertEquals(3, fixed.clone().getMergeAxis());
        assertEquals(fixed.isModified(), fixed.clone().isModified());
    }

    private static EarlyStoppingResult<MultiLayerNetwork> earlyStopping(EarlyStoppingModelSaver<MultiLayerNetwork> saver) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(Dl4jNetworksTest.classifier(CNN2DFormat.NHWC));
        net.init();
        DataSet data = Dl4jNetworksTest.batch(CNN2DFormat.NHWC);
        EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(2))
                .scoreCalculator(new DataSetLossCalculator(new ListDataSetIterator<>(List.of(data), 6), true))
                .modelSaver(saver).build();
        return new EarlyStoppingTrainer(conf, net, new ListDataSetIterator<>(List.of(data), 6)).fit();
    }

    @Test
    void earlyStoppingReportsABestScoreOfZeroAndScoreKeepingModelSaverTheRealOne() throws Exception {
        EarlyStoppingResult<MultiLayerNetwork> dl4j = earlyStopping(new InMemoryModelSaver<>());
        assertNotEquals(0.0, dl4j.getScoreVsEpoch().get(dl4j.getBestModelEpoch()), "the termination conditions see the loss");
        assertEquals(0.0, dl4j.getBestModelScore(), "canary: EarlyStoppingResult now keeps the best score; ScoreKeepingModelSaver can go");

        EarlyStoppingResult<MultiLayerNetwork> fixed = earlyStopping(ScoreKeepingModelSaver.inMemory());
        double best = fixed.getScoreVsEpoch().get(fixed.getBestModelEpoch());
        assertEquals(best, fixed.getBestModelScore(), 1e-12);
        DataSet data = Dl4jNetworksTest.batch(CNN2DFormat.NHWC);
        assertEquals(best, fixed.getBestModel().score(data), 1e-5 * best, "the best model's loss on the validation data");
    }
}
