package org.brainstate4j.spark;

import static org.brainstate4j.Checks.checkArgument;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The spark-submit entry point: trains SimpleCNN on Fashion-MNIST with the chosen training master,
 * prints DL4J's evaluation on the test images and saves the network with {@link ModelSerializer}.
 * Options (all optional):
 * <pre>
 *   --training averaging|shared   ParameterAveragingTrainingMaster (default) or SharedTrainingMaster
 *   --epochs N                    1
 *   --train-size N, --test-size N the first N images of each split (60000, 10000)
 *   --batch N                     examples per DataSet and per worker mini-batch (32)
 *   --averaging-frequency N       averaging: mini-batches between averagings (5)
 *   --workers-per-node N          shared: training threads per executor (1)
 *   --learning-rate X             Adam's (1e-3)
 *   --weight-standardized         ScaledWSConv2d + GroupNorm blocks
 *   --seed N                      1
 *   --partitions N                Spark partitions of the data (Spark's default parallelism)
 *   --port N                      shared: the UDP port every node opens (40123)
 *   --controller ADDRESS          shared: the driver's address (spark.driver.host)
 *   --network-mask MASK           shared: the mask that picks each node's interface, e.g. 10.0.0.0/16
 *   --data DIR                    the Fashion-MNIST IDX files, on the driver (data/fashion-mnist)
 *   --out FILE                    the saved network (simple-cnn-spark.zip)
 * </pre>
 * Without a master from spark-submit it runs in {@code local[*]}.
 */
public final class SparkTrainer {
    private SparkTrainer() {}

    /** The parsed command line. */
    record Options(SparkTraining.Settings settings, int epochs, int trainSize, int testSize, Integer partitions,
            Path dataDir, Path out) {}

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("brainstate4j-spark: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkConf conf = new SparkConf().setAppName("brainstate4j SimpleCNN").setIfMissing("spark.master", "local[*]");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            run(sc, options, System.out);
        }
    }

    /** Trains, evaluates and saves as {@code options} say; prints the evaluation to {@code out}. */
    static SparkTraining.Result run(JavaSparkContext sc, Options options, PrintStream out) throws IOException {
        LabelledImages train = FashionMnist.train(options.dataDir()).first(options.trainSize());
        LabelledImages test = FashionMnist.test(options.dataDir()).first(options.testSize());
        SparkTraining.Settings settings = options.settings();
        if (settings.master() == SparkTraining.Master.SHARED && settings.controllerAddress() == null) {
            settings = settings.withTransport(settings.port(), sc.getConf().get("spark.driver.host"), settings.networkMask());
        }
        int partitions = options.partitions() != null ? options.partitions() : sc.defaultParallelism();
        long t0 = System.nanoTime();
        SparkTraining.Result result = SparkTraining.train(sc, settings, train, train.first(Math.min(train.size(), 1000)),
                test, options.epochs(), partitions);
        out.printf(Locale.ROOT, "SimpleCNN, %s, %d training images x %d epochs on %d partitions (%.0f s): %s%n",
                settings.master(), train.size(), options.epochs(), partitions, (System.nanoTime() - t0) / 1e9, result.summary());
        out.println(result.test().stats());
        File file = options.out().toFile();
        ModelSerializer.writeModel(result.network(), file, true);
        out.println("saved " + file);
        return result;
    }

    static Options parse(String[] args) {
        SparkTraining.Settings s = SparkTraining.Settings.defaults(SparkTraining.Master.AVERAGING).withTransport(40123, null, null);
        int epochs = 1;
        int trainSize = FashionMnist.TRAIN_SIZE;
        int testSize = FashionMnist.TEST_SIZE;
        Integer partitions = null;
        Path dataDir = FashionMnist.defaultDirectory();
        Path out = Path.of("simple-cnn-spark.zip");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--weight-standardized")) {
                s = s.withWeightStandardized(true);
                continue;
            }
            checkArgument(i + 1 < args.length, "option %s needs a value", option);
            String value = args[++i];
            switch (option) {
                case "--training" -> s = withMaster(s, SparkTraining.Master.parse(value));
                case "--epochs" -> epochs = positive(option, value);
                case "--train-size" -> trainSize = positive(option, value);
                case "--test-size" -> testSize = positive(option, value);
                case "--batch" -> s = s.withBatchSize(positive(option, value));
                case "--averaging-frequency" -> s = s.withAveragingFrequency(positive(option, value));
                case "--workers-per-node" -> s = s.withWorkersPerNode(positive(option, value));
                case "--learning-rate" -> s = s.withLearningRate(number(option, value));
                case "--seed" -> s = s.withSeed(integer(option, value));
                case "--partitions" -> partitions = positive(option, value);
                case "--port" -> s = s.withTransport(positive(option, value), s.controllerAddress(), s.networkMask());
                case "--controller" -> s = s.withTransport(s.port(), value, s.networkMask());
                case "--network-mask" -> s = s.withTransport(s.port(), s.controllerAddress(), value);
                case "--data" -> dataDir = Path.of(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see SparkTrainer's javadoc)");
            }
        }
        return new Options(s, epochs, trainSize, testSize, partitions, dataDir, out);
    }

    private static SparkTraining.Settings withMaster(SparkTraining.Settings s, SparkTraining.Master master) {
        return new SparkTraining.Settings(master, s.rddBatchSize(), s.batchSizePerWorker(), s.averagingFrequency(),
                s.workersPerNode(), s.learningRate(), s.weightStandardized(), s.seed(), s.port(), s.controllerAddress(),
                s.networkMask());
    }

    private static int positive(String option, String value) {
        long n = integer(option, value);
        checkArgument(n >= 1 && n <= Integer.MAX_VALUE, "%s (=%s) must be a whole number of at least 1", option, value);
        return (int) n;
    }

    private static long integer(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " (=" + value + ") must be a whole number");
        }
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " (=" + value + ") must be a number");
        }
    }
}
