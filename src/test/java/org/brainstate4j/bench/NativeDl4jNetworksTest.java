package org.brainstate4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.brainstate4j.nn.Network;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The peer benchmark's {@code dl4j-native} networks against brainstate4j's: the same output shapes
 * and convolution kernel sizes for every benchmarked workload in both layouts, and, for the plain
 * networks, the same function (brainstate4j's weights copied into DL4J's layers give its output).
 */
class NativeDl4jNetworksTest {

    private static Model dl4jNative(PeerBenchmark.Workload w, CNN2DFormat format) {
        if (w.segmentation()) {
            ComputationGraph graph = new ComputationGraph(
                    NativeDl4jNetworks.unet(w.sample, w.classes, w.width, w.weightStandardized, format, 1));
            graph.init();
            return graph;
        }
        MultiLayerNetwork net = new MultiLayerNetwork(NativeDl4jNetworks.cnn(w.sample, w.classes, w.weightStandardized, format, 1));
        net.init();
        return net;
    }

    private static INDArray output(Model model, INDArray x) {
        return model instanceof ComputationGraph g ? g.outputSingle(x) : ((MultiLayerNetwork) model).output(x);
    }

    /** The parameters of the layer named {@code layer} by DL4J's keys ({@code W}, {@code b}, {@code gamma}, ...). */
    private static Map<String, INDArray> params(Model model, String layer) {
        return (model instanceof ComputationGraph g ? g.getLayer(layer) : ((MultiLayerNetwork) model).getLayer(layer)).paramTable();
    }

    private static INDArray toNchw(INDArray nhwc) {
        return nhwc.permute(0, 3, 1, 2).dup('c');
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cnn", "cnn-ws", "unet16", "unet16-ws"})
    void sameOutputShapesAndConvolutionKernelsAsBrainstate4j(String workload) {
        PeerBenchmark.Workload w = PeerBenchmark.Workload.of(workload);
        Network ours = PeerBenchmark.model(w);
        Map<CNN2DFormat, Model> nets = new EnumMap<>(CNN2DFormat.class);
        for (CNN2DFormat format : CNN2DFormat.values()) nets.put(format, dl4jNative(w, format));
        long gains = 0;
        long normParams = 0;
        for (Map.Entry<String, INDArray> p : ours.parameters().entrySet()) {
            String[] path = p.getKey().split("/");
            String layer = path[0];
            String kind = path[1];
            long length = p.getValue().length();
            for (Model net : nets.values()) {
                Map<String, INDArray> table = params(net, layer);
                boolean norm = table.containsKey("gamma");
                switch (kind) {
                    case "weight" -> assertEquals(length, table.get("W").length(), p.getKey());
                    case "gain" -> assertFalse(table.containsKey("gain"), p.getKey());
                    // GroupNorm's scale and bias <-> BatchNormalization's gamma and beta
                    case "scale" -> assertEquals(length, table.get("gamma").length(), p.getKey());
                    case "bias" -> assertEquals(length, table.get(norm ? "beta" : "b").length(), p.getKey());
                    default -> throw new AssertionError("unexpected parameter " + p.getKey());
                }
                if (kind.equals("weight") && !layer.equals("fc")) {
                    assertEquals(java.util.Set.of("W"), table.keySet(), layer + ": a convolution without bias");
                }
            }
            if (kind.equals("gain")) gains += length;
            if (kind.equals("scale") || (kind.equals("bias") && !layer.equals("fc"))) normParams += length;
        }
        assertEquals(w.weightStandardized, gains > 0);
        for (CNN2DFormat format : CNN2DFormat.values()) {
            Model net = nets.get(format);
            // BatchNormalization holds 4 per channel (gamma, beta, running mean and variance) where
            // GroupNorm holds 2; DL4J's convolutions hold no weight-standardization gain
            assertEquals(ours.parameterCount() - gains + normParams, net.numParams(), format + " parameter count");

            INDArray x = Nd4j.rand(DataType.FLOAT, 2, w.sample[0], w.sample[1], w.sample[2]);
            SameDiff sd = SameDiff.create();
            SDVariable in = sd.placeHolder("x", DataType.FLOAT, x.shape());
            long[] expected = ours.apply(sd, in).eval(Map.of("x", x)).shape();
            INDArray y = output(net, format == CNN2DFormat.NHWC ? x : toNchw(x));
            assertArrayEquals(expected, format == CNN2DFormat.NHWC || !w.segmentation() ? y.shape() : y.permute(0, 2, 3, 1).shape(),
                    format + " output shape");
        }
    }

    /**
     * The plain networks compute brainstate4j's function: its kernels (YXIO; transposed ones
     * {@code [k, k, out, in]}) permuted into DL4J's {@code [out, in, k, k]} ({@code [in, out, k, k]}),
     * the head's rows reordered from NHWC to NCHW flattening for the NCHW network, give its softmax;
     * and DL4J's score is the same in both layouts.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cnn", "unet16"})
    void plainNetworksComputeBrainstate4jsFunction(String workload) {
        PeerBenchmark.Workload w = PeerBenchmark.Workload.of(workload);
        Network ours = PeerBenchmark.model(w);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, w.sample[0], w.sample[1], w.sample[2]);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, x.shape());
        SDVariable logits = ours.apply(sd, in);
        INDArray expected = sd.nn().softmax(logits, -1).eval(Map.of("x", x));
        // one-hot labels shaped as the output (channels-last), classes drawn from the input
        INDArray labels = Nd4j.zeros(DataType.FLOAT, expected.shape());
        INDArray rows = labels.reshape(labels.length() / w.classes, w.classes);
        for (long r = 0; r < rows.size(0); r++) rows.putScalar(r, r * 7 % w.classes, 1.0);
        Map<CNN2DFormat, Double> scores = new EnumMap<>(CNN2DFormat.class);
        for (CNN2DFormat format : CNN2DFormat.values()) {
            Model net = dl4jNative(w, format);
            ours.parameters().forEach((name, value) -> {
                String[] path = name.split("/");
                INDArray target = params(net, path[0]).get(path[1].equals("weight") ? "W" : "b");
                INDArray v = value;
                if (value.rank() == 4) {
                    v = value.permute(3, 2, 0, 1);
                } else if (path[0].equals("fc") && path[1].equals("weight") && format == CNN2DFormat.NCHW) {
                    long side = w.sample[0] / 8;
                    long channels = value.size(0) / (side * side);
                    v = value.reshape(side, side, channels, w.classes).permute(2, 0, 1, 3).reshape(value.size(0), w.classes);
                }
                target.assign(v.reshape(target.shape()));
            });
            INDArray y = output(net, format == CNN2DFormat.NHWC ? x : toNchw(x));
            if (format == CNN2DFormat.NCHW && w.segmentation()) y = y.permute(0, 2, 3, 1);
            double diff = y.sub(expected).amaxNumber().doubleValue();
            assertTrue(diff < 1e-5, format + ": largest difference " + diff);
            // the loss DL4J reports (what fit computes with the gradients): the same in both layouts
            // (the NHWC U-Net needs Dl4jCnnLossLayer for that)
            boolean nchwLabels = format == CNN2DFormat.NCHW && w.segmentation();
            DataSet data = new DataSet(format == CNN2DFormat.NHWC ? x : toNchw(x), nchwLabels ? toNchw(labels) : labels);
            scores.put(format, net instanceof ComputationGraph g ? g.score(data) : ((MultiLayerNetwork) net).score(data));
        }
        assertEquals(scores.get(CNN2DFormat.NHWC), scores.get(CNN2DFormat.NCHW), 1e-4 * scores.get(CNN2DFormat.NHWC), "score");
    }

    /**
     * What the {@code dl4j-native} numbers measure: in 1.0.0-M2.1 DL4J's own layers run their built-in
     * implementations (im2col + gemm for convolutions), not oneDNN. The layer helpers are off unless
     * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false}, and even then
     * {@code BaseMKLDNNHelper.mklDnnEnabled()} is false: it loads {@code org.nd4j.nativeblas.Nd4jCpu$Environment},
     * a class nd4j-native M2.1 names {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}.
     * Should an upgrade give the layers oneDNN, this fails, and the stack's description (and numbers) change.
     * (DL4J logs "Cannot find class [org.nd4j.nativeblas.Nd4jCpu$Environment]" at ERROR level here.)
     */
    @Test
    void dl4jsOwnLayersRunWithoutOneDnnHelpers() {
        String property = "org.eclipse.deeplearning4j.helpers.disable";
        String before = System.getProperty(property);
        System.setProperty(property, "false");
        try {
            assertFalse(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J's oneDNN helpers are enabled: update NativeDl4jNetworks' javadoc");
            MultiLayerNetwork net = (MultiLayerNetwork) dl4jNative(PeerBenchmark.Workload.CNN, CNN2DFormat.NCHW);
            net.output(Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32));
            assertNull(((ConvolutionLayer) net.getLayer("conv1")).getHelper(), "a convolution helper: update NativeDl4jNetworks' javadoc");
        } finally {
            if (before == null) System.clearProperty(property);
            else System.setProperty(property, before);
        }
    }
}
