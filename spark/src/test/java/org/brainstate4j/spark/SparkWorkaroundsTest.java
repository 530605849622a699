package org.brainstate4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Canary of the dl4j-spark 1.0.0-M2 fault that {@link SparkTraining} works around: evaluating an RDD
 * of DataSets of 100 (here 5, over 2 partitions) with DL4J's default evaluation batch of 64 fails when
 * its prefetch thread merges the split remainders; with the DataSet size as batch it works.
 */
class SparkWorkaroundsTest {

    @Test
    void evaluationFailsOnDataSetsLargerThanItsBatchAndSucceedsWithTheDataSetSize() throws Exception {
        SparkTraining.Settings settings = SparkTraining.Settings.defaults(SparkTraining.Master.AVERAGING).withBatchSize(100);
        LabelledImages test = FashionMnist.test().first(500);
        try (JavaSparkContext sc = LocalSpark.start("SparkWorkaroundsTest")) {
            JavaRDD<DataSet> hundreds = FashionMnistRdds.miniBatches(sc, test, 100, 2);
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, SparkTraining.simpleCnn(settings),
                    SparkTraining.trainingMaster(settings));
            Exception e = assertThrows(Exception.class, () -> sparkNet.evaluate(hundreds),
                    "DL4J fixed evaluate() on DataSets larger than its batch (64): remove workaround "
                            + "SparkTraining.train's batch-size argument to calculateScore and evaluate");
            assertTrue(String.valueOf(e.getMessage()).contains("Cannot merge examples"), e.toString());

            Evaluation evaluation = sparkNet.evaluate(hundreds, test.classNames(), 100);
            assertEquals(500, evaluation.getNumRowCounter());
        }
    }
}
