package org.brainstate4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** SimpleCNN trained on Spark local[2] with ParameterAveragingTrainingMaster on real Fashion-MNIST images. */
class ParameterAveragingTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start("ParameterAveragingTest");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) sc.stop();
    }

    @Test
    void simpleCnnLearnsAndReloadsWithIdenticalOutput(@TempDir Path dir) throws Exception {
        LabelledImages train = FashionMnist.train().first(1024);
        LabelledImages test = FashionMnist.test().first(500);
        SparkTraining.Settings settings = SparkTraining.Settings.defaults(SparkTraining.Master.AVERAGING)
                .withBatchSize(32).withAveragingFrequency(4).withLearningRate(3e-3).withSeed(7);
        long t0 = System.nanoTime();
        SparkTraining.Result result = SparkTraining.train(sc, settings, train, train.first(256), test, 2, 2);
        System.out.printf("ParameterAveraging, local[2], 1024 images x 2 epochs (%.1f s): %s%n",
                (System.nanoTime() - t0) / 1e9, result.summary());

        List<Double> loss = result.probeLossByEpoch();
        assertTrue(loss.get(1) < loss.get(0) && loss.get(2) < loss.get(1) && loss.get(2) < 0.6 * loss.get(0),
                "training-set loss must fall each epoch and by 40% overall: " + loss);
        List<Double> score = result.trainingScoreByEpoch();
        assertTrue(score.get(1) < score.get(0), "DL4J's training score must fall: " + score);
        assertEquals(500, result.test().getNumRowCounter(), "every held-out image evaluated");
        assertTrue(result.test().accuracy() > 0.55, "held-out accuracy (chance 0.1): " + result.test().accuracy());

        MultiLayerNetwork net = result.network();
        File file = dir.resolve("simple-cnn-spark.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        INDArray images = test.first(64).toDataSet().getFeatures();
        assertEquals(net.output(images), reloaded.output(images), "the reloaded network's output");
        assertEquals(net.params(), reloaded.params());
    }
}
