package org.brainstate4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

/** DL4J's data-parallel trainer, 2 workers, on a network of brainstate4j layers and real Fashion-MNIST images. */
class ParallelWrapperTest {

    @ParameterizedTest
    @EnumSource(value = ParallelWrapper.TrainingMode.class, names = {"AVERAGING", "SHARED_GRADIENTS"})
    void twoWorkersTrainTheReadmeNetwork(ParallelWrapper.TrainingMode mode) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(Dl4jReadmeExampleTest.readmeConfiguration());
        net.init();
        LabelledImages train = FashionMnist.train().first(2000);
        DataSet held = FashionMnist.test().first(500).toDataSet();
        double before = net.score(held);
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net)
                .workers(2).prefetchBuffer(4).averagingFrequency(2).trainingMode(mode).build()) {
            wrapper.fit(train.iterator(50, true, 1));
        }
        double after = net.score(held);
        System.out.printf("ParallelWrapper %s, 2 workers: held-out loss %.4f -> %.4f%n", mode, before, after);
        assertTrue(after < 0.75 * before, mode + ": held-out loss " + before + " -> " + after);
    }
}
