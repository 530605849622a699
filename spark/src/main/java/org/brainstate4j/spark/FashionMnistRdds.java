package org.brainstate4j.spark;

import static org.brainstate4j.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainstate4j.data.LabelledImages;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Labelled images (the shipped Fashion-MNIST, {@code org.brainstate4j.data.FashionMnist}) as the
 * {@code JavaRDD<DataSet>} that DL4J's Spark trainers take: the driver reads the IDX files and cuts
 * them into mini-batch {@link DataSet}s (features {@code [b, 28, 28, 1]} NHWC float32 in {@code [0, 1]},
 * one-hot labels {@code [b, 10]}, exactly {@link LabelledImages#dataSet(int[])}), which Spark
 * serialises to the executors. All of Fashion-MNIST's training split is about 190 MB as float32, so
 * the driver holds it comfortably; the executors need no copy of the files.
 */
public final class FashionMnistRdds {
    private FashionMnistRdds() {}

    /**
     * The examples of {@code images}, in order, as mini-batches of {@code batchSize} (the last one
     * smaller when {@code batchSize} does not divide the count).
     */
    public static List<DataSet> miniBatches(LabelledImages images, int batchSize) {
        checkArgument(batchSize >= 1, "batchSize (=%s) must be at least 1", batchSize);
        checkArgument(images.size() >= 1, "images (%s) must hold at least one example", images.name());
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < images.size(); from += batchSize) {
            int[] positions = new int[Math.min(batchSize, images.size() - from)];
            for (int i = 0; i < positions.length; i++) positions[i] = from + i;
            batches.add(images.dataSet(positions));
        }
        return batches;
    }

    /** {@link #miniBatches} spread over {@code numPartitions} Spark partitions. */
    public static JavaRDD<DataSet> miniBatches(JavaSparkContext sc, LabelledImages images, int batchSize, int numPartitions) {
        checkArgument(numPartitions >= 1, "numPartitions (=%s) must be at least 1", numPartitions);
        return sc.parallelize(miniBatches(images, batchSize), numPartitions);
    }
}
