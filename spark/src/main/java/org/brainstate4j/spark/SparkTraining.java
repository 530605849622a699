package org.brainstate4j.spark;

import static org.brainstate4j.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainstate4j.data.LabelledImages;
import org.brainstate4j.models.SimpleCNN;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/**
 * SimpleCNN (its DL4J form, {@link SimpleCNN.Builder#toDl4j}) trained on Spark with one of DL4J's
 * two training masters, then evaluated with DL4J's {@link Evaluation} on the cluster.
 */
public final class SparkTraining {
    private SparkTraining() {}

    /** DL4J's two ways of training one network on many workers. */
    public enum Master {
        /** {@link ParameterAveragingTrainingMaster}: workers fit copies, the driver averages their parameters. */
        AVERAGING,
        /** {@link SharedTrainingMaster}: workers exchange threshold-encoded gradient updates over Aeron (UDP). */
        SHARED;

        /** {@code averaging} or {@code shared} (any case). */
        public static Master parse(String name) {
            for (Master m : values()) {
                if (m.name().equalsIgnoreCase(name)) return m;
            }
            throw new IllegalArgumentException("training master (=" + name + ") must be one of averaging, shared");
        }
    }

    /**
     * The settings of one run. {@code rddBatchSize} is the size of the RDD's DataSets (see
     * {@link FashionMnistRdds}); each worker fits mini-batches of {@code batchSizePerWorker}.
     * {@code averagingFrequency}: parameter averaging every that many mini-batches per worker
     * (AVERAGING only). {@code port}, {@code controllerAddress}, {@code networkMask}: the UDP port that
     * every node opens for SharedTrainingMaster, the driver's address, and the mask that picks each
     * node's interface (null: Spark's own addressing); SHARED only.
     */
    public record Settings(Master master, int rddBatchSize, int batchSizePerWorker, int averagingFrequency,
            int workersPerNode, double learningRate, boolean weightStandardized, long seed,
            int port, String controllerAddress, String networkMask) {
        public Settings {
            checkArgument(master != null, "master (=null) must be AVERAGING or SHARED");
            checkArgument(rddBatchSize >= 1, "rddBatchSize (=%s) must be at least 1", rddBatchSize);
            checkArgument(batchSizePerWorker >= 1, "batchSizePerWorker (=%s) must be at least 1", batchSizePerWorker);
            checkArgument(averagingFrequency >= 1, "averagingFrequency (=%s) must be at least 1", averagingFrequency);
            checkArgument(workersPerNode >= 1, "workersPerNode (=%s) must be at least 1", workersPerNode);
            checkArgument(learningRate > 0 && Double.isFinite(learningRate), "learningRate (=%s) must be positive", learningRate);
            checkArgument(port >= 1 && port <= 65535, "port (=%s) must be in 1..65535", port);
        }

        /** Defaults: batches of 32, averaging every 5, one worker per node, Adam(1e-3), plain convolutions, seed 1, port 40123 on 127.0.0.1. */
        public static Settings defaults(Master master) {
            return new Settings(master, 32, 32, 5, 1, 1e-3, false, 1, 40123, "127.0.0.1", null);
        }

        public Settings withBatchSize(int batchSize) {
            return new Settings(master, batchSize, batchSize, averagingFrequency, workersPerNode, learningRate,
                    weightStandardized, seed, port, controllerAddress, networkMask);
        }

        public Settings withAveragingFrequency(int frequency) {
            return new Settings(master, rddBatchSize, batchSizePerWorker, frequency, workersPerNode, learningRate,
                    weightStandardized, seed, port, controllerAddress, networkMask);
        }

        public Settings withWorkersPerNode(int workers) {
            return new Settings(master, rddBatchSize, batchSizePerWorker, averagingFrequency, workers, learningRate,
                    weightStandardized, seed, port, controllerAddress, networkMask);
        }

        public Settings withLearningRate(double rate) {
            return new Settings(master, rddBatchSize, batchSizePerWorker, averagingFrequency, workersPerNode, rate,
                    weightStandardized, seed, port, controllerAddress, networkMask);
        }

        public Settings withWeightStandardized(boolean ws) {
            return new Settings(master, rddBatchSize, batchSizePerWorker, averagingFrequency, workersPerNode, learningRate,
                    ws, seed, port, controllerAddress, networkMask);
        }

        public Settings withSeed(long newSeed) {
            return new Settings(master, rddBatchSize, batchSizePerWorker, averagingFrequency, workersPerNode, learningRate,
                    weightStandardized, newSeed, port, controllerAddress, networkMask);
        }

        public Settings withTransport(int newPort, String controller, String mask) {
            return new Settings(master, rddBatchSize, batchSizePerWorker, averagingFrequency, workersPerNode, learningRate,
                    weightStandardized, seed, newPort, controller, mask);
        }
    }

    /** The training master that {@code settings} names. */
    public static TrainingMaster<?, ?> trainingMaster(Settings settings) {
        return switch (settings.master()) {
            case AVERAGING -> new ParameterAveragingTrainingMaster.Builder(settings.rddBatchSize())
                    .batchSizePerWorker(settings.batchSizePerWorker())
                    .averagingFrequency(settings.averagingFrequency())
                    .workerPrefetchNumBatches(2)
                    .rngSeed(settings.seed())
                    .build();
            case SHARED -> {
                VoidConfiguration.VoidConfigurationBuilder transport = VoidConfiguration.builder()
                        .unicastPort(settings.port());
                if (settings.controllerAddress() != null) transport.controllerAddress(settings.controllerAddress());
                if (settings.networkMask() != null) transport.networkMask(settings.networkMask());
                yield new SharedTrainingMaster.Builder(transport.build(), settings.rddBatchSize())
                        .batchSizePerWorker(settings.batchSizePerWorker())
                        .workersPerNode(settings.workersPerNode())
                        .rngSeed(settings.seed())
                        .build();
            }
        };
    }

    /** SimpleCNN for 28x28 greyscale images and 10 classes, as a DL4J configuration (Adam, float32). */
    public static MultiLayerConfiguration simpleCnn(Settings settings) {
        return SimpleCNN.builder().inSize(28, 28, 1).numClasses(10).weightStandardized(settings.weightStandardized())
                .seed(settings.seed())
                .toDl4j(new NeuralNetConfiguration.Builder().seed(settings.seed())
                        .updater(new Adam(settings.learningRate())).dataType(DataType.FLOAT));
    }

    /**
     * What a run measured: the mean loss on {@code lossProbe} before training and after each epoch
     * (computed on the cluster), DL4J's own average training score of each epoch (NaN with
     * SharedTrainingMaster, which does not report one), the test
     * evaluation, and the trained network (the driver's copy).
     */
    public record Result(List<Double> probeLossByEpoch, List<Double> trainingScoreByEpoch, Evaluation test,
            MultiLayerNetwork network) {
        public Result {
            probeLossByEpoch = List.copyOf(probeLossByEpoch);
            trainingScoreByEpoch = List.copyOf(trainingScoreByEpoch);
        }

        public String summary() {
            return String.format(Locale.ROOT, "loss on the probe set by epoch %s, training score by epoch %s, test accuracy %.3f on %d images",
                    format(probeLossByEpoch), format(trainingScoreByEpoch), test.accuracy(), test.getNumRowCounter());
        }

        private static String format(List<Double> values) {
            List<String> out = new ArrayList<>();
            for (double v : values) out.add(String.format(Locale.ROOT, "%.4f", v));
            return out.toString();
        }
    }

    /**
     * Trains SimpleCNN on {@code train} for {@code epochs} and evaluates it on {@code test}; the loss
     * on {@code lossProbe} (for instance a subset of the training data) is measured before training
     * and after each epoch. Each set becomes an RDD of DataSets of {@code settings.rddBatchSize()}
     * over {@code numPartitions} partitions ({@link FashionMnistRdds}).
     */
    public static Result train(JavaSparkContext sc, Settings settings, LabelledImages train, LabelledImages lossProbe,
            LabelledImages test, int epochs, int numPartitions) {
        checkArgument(epochs >= 1, "epochs (=%s) must be at least 1", epochs);
        int batch = settings.rddBatchSize();
        JavaRDD<DataSet> trainRdd = FashionMnistRdds.miniBatches(sc, train, batch, numPartitions);
        JavaRDD<DataSet> probeRdd = FashionMnistRdds.miniBatches(sc, lossProbe, batch, numPartitions);
        JavaRDD<DataSet> testRdd = FashionMnistRdds.miniBatches(sc, test, batch, numPartitions);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, simpleCnn(settings), trainingMaster(settings));
        List<Double> probeLoss = new ArrayList<>();
        List<Double> trainingScore = new ArrayList<>();
        // Scoring and evaluation batches of the RDD's DataSet size: DL4J M2's evaluation splits larger
        // DataSets in its prefetch thread, and with its default of 64 on DataSets of 100 it failed
        // ("Cannot merge examples ... First example features shape: []").
        probeLoss.add(sparkNet.calculateScore(probeRdd, true, batch));
        for (int epoch = 0; epoch < epochs; epoch++) {
            sparkNet.fit(trainRdd);
            // SharedTrainingMaster (M2) leaves the network's score at 0: not a measurement
            trainingScore.add(settings.master() == Master.SHARED ? Double.NaN : sparkNet.getScore());
            probeLoss.add(sparkNet.calculateScore(probeRdd, true, batch));
        }
        Evaluation evaluation = sparkNet.evaluate(testRdd, test.classNames(), batch);
        sparkNet.getTrainingMaster().deleteTempFiles(sc);
        return new Result(probeLoss, trainingScore, evaluation, sparkNet.getNetwork());
    }
}
