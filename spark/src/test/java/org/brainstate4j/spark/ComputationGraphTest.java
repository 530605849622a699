package org.brainstate4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/** SparkComputationGraph with ParameterAveraging on SimpleCNN's layers as a ComputationGraph. */
class ComputationGraphTest {

    @Test
    void simpleCnnAsAComputationGraphLearnsOnSpark() throws Exception {
        SparkTraining.Settings settings = SparkTraining.Settings.defaults(SparkTraining.Master.AVERAGING)
                .withBatchSize(32).withAveragingFrequency(4).withLearningRate(3e-3).withSeed(11);
        MultiLayerNetwork layers = new MultiLayerNetwork(SparkTraining.simpleCnn(settings));
        layers.init();
        ComputationGraph graph = layers.toComputationGraph();
        LabelledImages train = FashionMnist.train().range(2000, 2512);
        LabelledImages test = FashionMnist.test().range(500, 700);
        try (JavaSparkContext sc = LocalSpark.start("ComputationGraphTest")) {
            JavaRDD<DataSet> trainRdd = FashionMnistRdds.miniBatches(sc, train, 32, 2);
            JavaRDD<DataSet> testRdd = FashionMnistRdds.miniBatches(sc, test, 32, 2);
            SparkComputationGraph sparkGraph = new SparkComputationGraph(sc, graph, SparkTraining.trainingMaster(settings));
            double before = sparkGraph.calculateScore(trainRdd, true, 32);
            sparkGraph.fit(trainRdd);
            double after = sparkGraph.calculateScore(trainRdd, true, 32);
            Evaluation eval = sparkGraph.evaluate(testRdd, test.classNames(), 32);
            System.out.printf("SparkComputationGraph, ParameterAveraging, 512 images x 1 epoch: training loss %.4f -> %.4f, "
                    + "test accuracy %.3f on %d images%n", before, after, eval.accuracy(), eval.getNumRowCounter());
            sparkGraph.getTrainingMaster().deleteTempFiles(sc);
            assertTrue(after < 0.85 * before, "training loss " + before + " -> " + after);
            assertTrue(eval.accuracy() > 0.3, "held-out accuracy (chance 0.1): " + eval.accuracy());
        }
    }
}
