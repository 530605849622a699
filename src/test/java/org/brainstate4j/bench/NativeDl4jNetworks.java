package org.brainstate4j.bench;

import org.brainstate4j.dl4j.Dl4jCnnLossLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The benchmark's networks built from DL4J's own layers, as a DL4J user would write them without
 * brainstate4j (the peer benchmark's {@code dl4j-native} stack): {@link ConvolutionLayer} (3x3,
 * {@link ConvolutionMode#Same}, no bias, as the brainstate4j convolutions), {@link SubsamplingLayer}
 * (max 2x2, stride 2), {@link Deconvolution2D} (4x4, stride 2, Same: twice the input size, padding 1
 * on every side as brainstate4j's transposed SAME), {@link MergeVertex} (channel concatenation),
 * ReLU as the convolution's activation, an {@link OutputLayer} (linear head + softmax cross-entropy)
 * for SimpleCNN and a per-pixel {@link CnnLossLayer} (softmax cross-entropy) for SimpleUNet; Adam
 * 1e-3, float32. Either layout: {@link CNN2DFormat#NCHW} (DL4J's default) or {@link CNN2DFormat#NHWC}
 * (brainstate4j's).
 *
 * <p>Weight-standardized variants: DL4J has neither GroupNorm nor weight standardization, so the
 * nearest native network puts a {@link BatchNormalization} (batch statistics in training) after each
 * plain convolution, then an {@link ActivationLayer} with the ReLU. This is a different normalization
 * from brainstate4j's ScaledWSConv2d + GroupNorm(8 groups): the rows compare a native
 * normalized network of the same shape, not the same computation.
 *
 * <p>Parameters: every convolution kernel has the brainstate4j layer's size ({@code k*k*in*out};
 * DL4J stores it as {@code [out, in, k, k]}, transposed ones as {@code [in, out, k, k]}); the
 * SimpleCNN head has the same {@code features*classes + classes}. In the WS variants the
 * brainstate4j convolutions also hold one gain per output channel, and GroupNorm a scale and bias per
 * channel, while DL4J's BatchNormalization holds gamma and beta (trained) plus the running mean and
 * variance (not trained, but counted in {@code numParams()}): 4 per channel.
 *
 * <p>DL4J 1.0.0-M2.1 faults (docs/workarounds.md): {@code CnnLossLayer} scores NHWC
 * data as if NCHW (its {@code computeScore}, run inside every {@code fit}, softmaxes across the height
 * instead of the classes and reports a wrong loss), so the NHWC U-Net uses brainstate4j's
 * {@link Dl4jCnnLossLayer}, DL4J's class with only that method corrected; NCHW uses DL4J's own.
 * {@code MergeVertex.clone()} drops the NHWC axis, but the benchmark never clones a network
 * ({@code fit} and {@code output} do not), so DL4J's own MergeVertex is used
 * ({@code NativeDl4jNetworksTest} checks the NHWC U-Net's output and score against the NCHW one).
 *
 * <p>What runs: in 1.0.0-M2.1 these layers use DL4J's built-in implementations (a convolution is
 * im2col + gemm), not oneDNN, whichever ND4J build is loaded. DL4J's layer helpers are off by default
 * ({@code org.eclipse.deeplearning4j.helpers.disable} defaults to true), and switching them on does not
 * help: {@code BaseMKLDNNHelper.mklDnnEnabled()} looks for {@code org.nd4j.nativeblas.Nd4jCpu$Environment},
 * which nd4j-native M2.1 names {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}, and
 * so always answers false ({@code NativeDl4jNetworksTest.dl4jsOwnLayersRunWithoutOneDnnHelpers}). The
 * native build loaded still decides how the ND4J ops these implementations call are run.
 */
final class NativeDl4jNetworks {
    private NativeDl4jNetworks() {}

    private static NeuralNetConfiguration.Builder defaults(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3)).dataType(DataType.FLOAT);
    }

    /**
     * SimpleCNN: three blocks of conv 3x3 SAME (32, 64, 128 channels, no bias), [BatchNormalization],
     * ReLU and 2x2 max pooling; a linear head to {@code classes} logits with softmax cross-entropy.
     * {@code inSize} is (height, width, channels) whatever the format.
     */
    static MultiLayerConfiguration cnn(long[] inSize, int classes, boolean normalized, CNN2DFormat format, long seed) {
        NeuralNetConfiguration.ListBuilder list = defaults(seed).list();
        int[] widths = {32, 64, 128};
        for (int i = 0; i < 3; i++) {
            String n = String.valueOf(i + 1);
            list.layer(conv("conv" + n, widths[i], 3, 1, normalized ? Activation.IDENTITY : Activation.RELU, format));
            if (normalized) {
                list.layer(batchNorm("norm" + n, format));
                list.layer(relu("relu" + n));
            }
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .dataFormat(format).name("pool" + n).build());
        }
        // the CnnToFeedForwardPreProcessor that setInputType inserts flattens the pooled maps
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX)
                .name("fc").build());
        return list.setInputType(InputType.convolutional(inSize[0], inSize[1], inSize[2], format)).build();
    }

    /**
     * SimpleUNet of width {@code width}: encoders conv 3x3 SAME enc1 (stride 1, w), enc2, enc3,
     * bottleneck (stride 2; 2w, 4w, 8w), decoders 4x4 stride-2 SAME transposed convolutions (4w, 2w,
     * w) each concatenated with the matching encoder output, a 1x1 convolution to {@code classes}
     * logits and per-pixel softmax cross-entropy; every convolution without bias, [BatchNormalization]
     * and ReLU after each encoder and decoder. Input {@code "image"}, output {@code "loss"} (softmax
     * probabilities).
     */
    static ComputationGraphConfiguration unet(long[] inSize, int classes, int width, boolean normalized, CNN2DFormat format,
            long seed) {
        ComputationGraphConfiguration.GraphBuilder graph = defaults(seed).graphBuilder().addInputs("image");
        String e1 = block(graph, "enc1", false, width, 3, 1, normalized, format, "image");
        String e2 = block(graph, "enc2", false, 2 * width, 3, 2, normalized, format, e1);
        String e3 = block(graph, "enc3", false, 4 * width, 3, 2, normalized, format, e2);
        String b = block(graph, "bottleneck", false, 8 * width, 3, 2, normalized, format, e3);
        // MergeVertex concatenates on the channel axis: 1 for NCHW, and 3 once it sees NHWC inputs
        graph.addVertex("skip1", new MergeVertex(), block(graph, "dec1", true, 4 * width, 4, 2, normalized, format, b), e3);
        graph.addVertex("skip2", new MergeVertex(), block(graph, "dec2", true, 2 * width, 4, 2, normalized, format, "skip1"), e2);
        graph.addVertex("skip3", new MergeVertex(), block(graph, "dec3", true, width, 4, 2, normalized, format, "skip2"), e1);
        graph.addLayer("output", conv("output", classes, 1, 1, Activation.IDENTITY, format), "skip3");
        graph.addLayer("loss", format == CNN2DFormat.NHWC
                // M2.1's CnnLossLayer scores NHWC as NCHW; Dl4jCnnLossLayer is that class with computeScore corrected
                ? Dl4jCnnLossLayer.of(LossFunctions.LossFunction.MCXENT, Activation.SOFTMAX, format, "loss")
                : new CnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).format(format)
                        .name("loss").build(),
                "output");
        return graph.setOutputs("loss").setInputTypes(InputType.convolutional(inSize[0], inSize[1], inSize[2], format)).build();
    }

    /** {@code relu([norm](layer(input)))}; returns the last vertex's name. */
    private static String block(ComputationGraphConfiguration.GraphBuilder graph, String name, boolean transposed, int out,
            int kernel, int stride, boolean normalized, CNN2DFormat format, String input) {
        Activation activation = normalized ? Activation.IDENTITY : Activation.RELU;
        graph.addLayer(name, transposed ? deconv(name, out, kernel, stride, activation, format)
                : conv(name, out, kernel, stride, activation, format), input);
        if (!normalized) return name;
        graph.addLayer(name + "_norm", batchNorm(name + "_norm", format), name);
        graph.addLayer(name + "_relu", relu(name + "_relu"), name + "_norm");
        return name + "_relu";
    }

    private static Layer conv(String name, int out, int kernel, int stride, Activation activation, CNN2DFormat format) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).convolutionMode(ConvolutionMode.Same)
                .hasBias(false).nOut(out).activation(activation).dataFormat(format).name(name).build();
    }

    private static Layer deconv(String name, int out, int kernel, int stride, Activation activation, CNN2DFormat format) {
        return new Deconvolution2D.Builder(kernel, kernel).stride(stride, stride).convolutionMode(ConvolutionMode.Same)
                .hasBias(false).nOut(out).activation(activation).dataFormat(format).name(name).build();
    }

    /**
     * DL4J has no GroupNorm and no weight standardization: BatchNormalization is the nearest native
     * normalization (per-channel statistics over batch and space instead of per-sample over groups).
     */
    private static Layer batchNorm(String name, CNN2DFormat format) {
        return new BatchNormalization.Builder().dataFormat(format).name(name).build();
    }

    private static Layer relu(String name) {
        return new ActivationLayer.Builder().activation(Activation.RELU).name(name).build();
    }
}
