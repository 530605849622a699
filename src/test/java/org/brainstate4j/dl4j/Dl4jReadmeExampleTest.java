package org.brainstate4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.brainstate4j.DocsSnippets;
import org.brainstate4j.data.FashionMnist;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * docs/dl4j-networks.md, "Use the layers in a MultiLayerNetwork / ComputationGraph": the example as written
 * there (the blocks between docs:begin and docs:end are the page's text), and the same layers in a
 * {@code graphBuilder()}, on Fashion-MNIST.
 */
class Dl4jReadmeExampleTest {

    /** The configuration of docs/dl4j-networks.md. */
    static MultiLayerConfiguration readmeConfiguration() {
        // docs:begin
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1).updater(new Adam(2e-3)).list()
                .layer(Dl4jScaledWSConv.scaledWSConv2d().outChannels(16).kernelSize(3).build())
                .layer(Dl4jGroupNorm.builder().numGroups(4).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(Dl4jConv.conv2d().outChannels(16).kernelSize(3).stride(2).bias(true).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(Dl4jLinear.builder().outFeatures(64).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC))   // Fashion-MNIST batches are NHWC
                .build();
        // docs:end
        return conf;
    }

    @Test
    void multiLayerNetworkExample(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = readmeConfiguration();
        File file = dir.resolve("classifier.zip").toFile();
        // docs:begin
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(FashionMnist.train().first(2000).iterator(50, true, 1), 2);                // DL4J's fit(DataSetIterator)
        Evaluation eval = net.evaluate(FashionMnist.test().first(1000).iterator(250, false, 0));
        ModelSerializer.writeModel(net, file, true);                                       // with the updater state
        // docs:end
        System.out.println(eval.stats());
        MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertTrue(eval.accuracy() > 0.65, "accuracy " + eval.accuracy());
        INDArray x = FashionMnist.test().first(20).toDataSet().getFeatures();
        assertEquals(net.output(x), reloaded.output(x));
    }

    @Test
    void exampleIsThePagesText() throws Exception {
        assertEquals(2, DocsSnippets.assertBlocksInPage(Dl4jReadmeExampleTest.class, "docs/dl4j-networks.md", Map.of()));
    }

    @Test
    void computationGraphExample() throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1).updater(new Adam(2e-3)).graphBuilder()
                .addInputs("image")
                .addLayer("conv", Dl4jScaledWSConv.scaledWSConv2d().outChannels(16).kernelSize(3).build(), "image")
                .addLayer("norm", Dl4jGroupNorm.builder().numGroups(4).build(), "conv")
                .addLayer("relu", new ActivationLayer(Activation.RELU), "norm")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build(), "relu")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.fit(FashionMnist.train().first(1000).iterator(50, true, 1), 1);

        Evaluation eval = graph.evaluate(FashionMnist.test().first(500).iterator(250, false, 0));
        assertTrue(eval.accuracy() > 0.5, "accuracy " + eval.accuracy());
    }
}
