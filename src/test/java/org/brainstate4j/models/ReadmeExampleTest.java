package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.Network;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.Summary;
import org.brainstate4j.train.ProgressListener;
import org.brainstate4j.train.Training;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.records.History;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The composition example of docs/layers.md builds, summarizes and runs; the training example of
 * docs/training.md trains, both as written there (tools/consumer/check.sh checks that text).
 */
class ReadmeExampleTest {
    static final class Classifier extends Network {
        private final ScaledWSConv2d conv;
        private final GroupNorm norm;
        private final Linear head;

        Classifier() {
            super("classifier");
            conv = add(ScaledWSConv2d.builder().inSize(28, 28, 1).outChannels(16).kernelSize(3).padding("SAME").name("conv").build());
            norm = add(GroupNorm.builder().inSize(28, 28, 16).numGroups(4).name("norm").build());
            head = add(Linear.builder().inSize(14 * 14 * 16).outSize(10).name("fc").build());
        }

        @Override
        protected SDVariable forward(SameDiff sd, SDVariable x) {
            SDVariable h = sd.nn().relu(norm.apply(sd, conv.apply(sd, x)), 0);
            h = sd.cnn().maxPooling2d(h, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(true).build());
            return head.apply(sd, sd.reshape(h, -1, 14 * 14 * 16));
        }
    }

    @Test
    void compositionExampleWorks() {
        Classifier net = new Classifier();
        String summary = Summary.of(net, DataType.FLOAT, 28, 28, 1).toString();
        assertTrue(summary.contains("conv") && summary.contains("fc"), summary);
        assertTrue(net.parameters().containsKey("conv/weight") && net.parameters().containsKey("fc/bias"),
                net.parameters().keySet().toString());
        // 3*3*1*16 + 16 gain + 16+16 norm + 3136*10 + 10
        assertEquals(144 + 16 + 32 + 31360 + 10, net.parameterCount());

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 28, 28, 1);
        SDVariable y = net.apply(sd, x);
        INDArray out = sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 3, 28, 28, 1)), y.name()).get(y.name());
        assertArrayEquals(new long[] {3, 10}, out.shape());
    }

    @Test
    void trainYourOwnNetworkExampleWorks() throws java.io.IOException {
        // docs/training.md, as written there
        LabelledImages images = FashionMnist.train(Path.of("data/fashion-mnist")).first(2_000);
        DataSetIterator train = images.iterator(64, true, 42);        // [64, 28, 28, 1] in [0, 1], one-hot labels

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("input", DataType.FLOAT, -1, 28, 28, 1);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 10);
        SDVariable logits = new Classifier().apply(sd, x);            // the network of "Composition"
        sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());

        ProgressListener progress = new ProgressListener(train, 2);   // live bar on stderr: ETA, loss, samples/s
        History history = Training.fit(sd, train, 2, progress);
        float[] meanLossPerEpoch = history.lossCurve().meanLoss("loss"); // real values (plain sd.fit: 0 on M2.1)

        assertEquals(2, meanLossPerEpoch.length);
        // ten classes: the first epoch starts near ln(10) = 2.30 and learns
        assertTrue(meanLossPerEpoch[0] > 0.3 && meanLossPerEpoch[0] < 2.4, java.util.Arrays.toString(meanLossPerEpoch));
        assertTrue(meanLossPerEpoch[1] < meanLossPerEpoch[0], java.util.Arrays.toString(meanLossPerEpoch));
        for (int e = 0; e < 2; e++) {
            assertEquals(meanLossPerEpoch[e], progress.epochMeanLosses()[e], 1e-5 * meanLossPerEpoch[e]);
        }
        assertEquals(2 * 32, progress.iterationLosses().length); // 2,000 images in batches of 64
    }
}
