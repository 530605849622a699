package org.brainstate4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainstate4j.data.FashionMnist;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The spark-submit entry point: its options, and one short run end to end on local[2]. */
class SparkTrainerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--batch 0          | --batch (=0) must be a whole number of at least 1",
            "--epochs two       | --epochs (=two) must be a whole number",
            "--training ring    | training master (=ring) must be one of averaging, shared",
            "--learning-rate -1 | learningRate (=-1.0) must be positive",
            "--epochs           | option --epochs needs a value",
            "--gpus 2           | unknown option --gpus (see SparkTrainer's javadoc)"})
    void badOptionsAreRefusedWithTheRule(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.parse(args.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void optionsReachTheSettings() {
        SparkTrainer.Options o = SparkTrainer.parse(new String[] {"--training", "shared", "--batch", "16", "--port", "40200",
                "--network-mask", "10.0.0.0/16", "--weight-standardized", "--epochs", "3"});
        assertEquals(SparkTraining.Master.SHARED, o.settings().master());
        assertEquals(16, o.settings().rddBatchSize());
        assertEquals(16, o.settings().batchSizePerWorker());
        assertEquals(40200, o.settings().port());
        assertEquals("10.0.0.0/16", o.settings().networkMask());
        assertTrue(o.settings().weightStandardized());
        assertEquals(3, o.epochs());
    }

    @Test
    void trainsEvaluatesAndSavesAReloadableNetwork(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("cnn.zip");
        SparkTrainer.Options options = SparkTrainer.parse(new String[] {"--train-size", "512", "--test-size", "200",
                "--learning-rate", "3e-3", "--partitions", "2", "--data", FashionMnist.defaultDirectory().toString(),
                "--out", model.toString()});
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SparkTraining.Result result;
        try (JavaSparkContext sc = LocalSpark.start("SparkTrainerTest")) {
            result = SparkTrainer.run(sc, options, new PrintStream(printed, true, StandardCharsets.UTF_8));
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertTrue(out.startsWith("SimpleCNN, AVERAGING, 512 training images x 1 epochs on 2 partitions"), out);
        assertTrue(out.contains("Accuracy:"), "DL4J's Evaluation.stats() printed: " + out);
        assertTrue(result.test().accuracy() > 0.35, "held-out accuracy (chance 0.1): " + result.test().accuracy());
        assertTrue(Files.size(model) > 0);

        MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), true);
        INDArray images = FashionMnist.test().range(200, 264).toDataSet().getFeatures();
        assertEquals(result.network().output(images), reloaded.output(images), "the saved network's output");
    }
}
