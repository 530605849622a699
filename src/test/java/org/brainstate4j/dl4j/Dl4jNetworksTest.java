package org.brainstate4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The layer configurations inside whole DL4J networks: a small classifier (weight-standardized
 * convolution, GroupNorm, strided convolution, Linear, DL4J's softmax output) as a MultiLayerNetwork
 * and as a ComputationGraph, trained with DL4J's fit, saved as JSON, Java-serialized and through
 * ModelSerializer.
 */
class Dl4jNetworksTest {

    static MultiLayerConfiguration classifier(CNN2DFormat format) {
        return new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-2)).dataType(DataType.FLOAT).list()
                .layer(Dl4jScaledWSConv.scaledWSConv2d().outChannels(8).kernelSize(3).build())
                .layer(Dl4jGroupNorm.builder().numGroups(4).build())
                .layer(Dl4jConv.conv2d().outChannels(4).kernelSize(3).stride(2).bias(true).build())
                .layer(Dl4jLinear.builder().outFeatures(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2, format))
                .build();
    }

    static DataSet batch(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = format == CNN2DFormat.NHWC ? Nd4j.rand(DataType.FLOAT, 6, 8, 8, 2) : Nd4j.rand(DataType.FLOAT, 6, 2, 8, 8);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 6, 3);
        for (int i = 0; i < 6; i++) labels.putScalar(i, i % 3, 1.0);
        return new DataSet(x, labels);
    }

    @Test
    void multiLayerNetworkTrainsAndSurvivesJsonJavaSerializationAndModelSerializer(@TempDir Path dir) throws Exception {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerConfiguration conf = classifier(format);
            String json = conf.toJson();
            assertTrue(json.contains("org.brainstate4j.dl4j.Dl4jScaledWSConv"), json);
            MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(json);
            assertEquals(json, fromJson.toJson());

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(conf);
            }
            MultiLayerConfiguration deserialized;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                deserialized = (MultiLayerConfiguration) in.readObject();
            }
            assertEquals(json, deserialized.toJson());

            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            MultiLayerNetwork twin = new MultiLayerNetwork(fromJson);
            twin.init();
            assertEquals(net.params(), twin.params(), "same seed, same configuration: same initial parameters");

            DataSet data = batch(format);
            double before = net.score(data);
            for (int i = 0; i < 15; i++) net.fit(data);
            double after = net.score(data);
            assertTrue(after < 0.7 * before, format + ": loss " + before + " -> " + after);

            File file = dir.resolve("net-" + format + ".zip").toFile();
            ModelSerializer.writeModel(net, file, true);
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
            assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
            assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
            net.fit(data);
            restored.fit(data);
            assertEquals(net.params(), restored.params(), "training continues exactly after the reload");
        }
    }

    @Test
    void computationGraphMatchesTheMultiLayerNetwork(@TempDir Path dir) throws Exception {
        CNN2DFormat format = CNN2DFormat.NHWC;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-2))
                .dataType(DataType.FLOAT).graphBuilder()
                .addInputs("image")
                .addLayer("ws", Dl4jScaledWSConv.scaledWSConv2d().outChannels(8).kernelSize(3).build(), "image")
                .addLayer("norm", Dl4jGroupNorm.builder().numGroups(4).build(), "ws")
                .addLayer("down", Dl4jConv.conv2d().outChannels(4).kernelSize(3).stride(2).bias(true).build(), "norm")
                .addLayer("dense", Dl4jLinear.builder().outFeatures(6).build(), "down")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(8, 8, 2, format))
                .build();
        String json = conf.toJson();
        assertEquals(json, ComputationGraphConfiguration.fromJson(json).toJson());
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        MultiLayerNetwork net = new MultiLayerNetwork(classifier(format));
        net.init();
        net.setParams(graph.params());
        DataSet data = batch(format);
        assertTrue(graph.outputSingle(data.getFeatures()).equalsWithEps(net.output(data.getFeatures()), 1e-6));

        for (int i = 0; i < 3; i++) {
            graph.fit(data);
            net.fit(data);
        }
        assertTrue(graph.params().equalsWithEps(net.params(), 1e-5), "the same training steps");

        File file = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(graph.outputSingle(data.getFeatures()), restored.outputSingle(data.getFeatures()));
    }
}
