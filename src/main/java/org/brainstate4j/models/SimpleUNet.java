package org.brainstate4j.models;

import static org.brainstate4j.Checks.checkArgument;

import org.brainstate4j.dl4j.CloneSafeMergeVertex;
import org.brainstate4j.dl4j.Dl4jCnnLossLayer;
import org.brainstate4j.dl4j.Dl4jConv;
import org.brainstate4j.dl4j.Dl4jConvTranspose;
import org.brainstate4j.dl4j.Dl4jGroupNorm;
import org.brainstate4j.dl4j.Dl4jScaledWSConv;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Network;
import org.brainstate4j.nn.Ops;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The tutorial's {@code SimpleUNet}: encoder 3x3 SAME convolutions enc1 (stride 1, w channels),
 * enc2, enc3 and bottleneck (stride 2; 2w, 4w, 8w), decoder 4x4 stride-2 SAME transposed
 * convolutions dec1..dec3 (4w, 2w, w) each followed by concatenation with the matching encoder
 * output (channels 4w+4w, 2w+2w, w+w), and a 1x1 output convolution to {@code numClasses} logits.
 * The tutorial has {@code (128, 128, 3)} input and {@code w = 64}; input size (divisible by 8),
 * classes and width are parameters.
 *
 * <p>Faithful to what the tutorial computes, not to a slip in its text: the tutorial declares the
 * encoders' {@code in_size} as their output sizes ({@code (64, 64, 64)} for enc2, which receives
 * {@code 128x128x64}); BrainState checks {@code in_size} exactly, so that code fails as written. Here
 * each layer's inSize is the shape it really receives.
 *
 * <p>The weight-standardized variant uses {@link ScaledWSConv2d} for every convolution and a
 * {@link GroupNorm} after each encoder and decoder layer.
 */
public final class SimpleUNet extends Network {
    private final long[] inSize;
    private final int numClasses;
    private final int width;
    private final boolean weightStandardized;
    private final DataType dataType;
    private final ConvLayer enc1;
    private final ConvLayer enc2;
    private final ConvLayer enc3;
    private final ConvLayer bottleneck;
    private final ConvTranspose2d dec1;
    private final ConvTranspose2d dec2;
    private final ConvTranspose2d dec3;
    private final ConvLayer output;
    private final GroupNorm[] norms = new GroupNorm[7];
    private final int groupNormGroups;
    private int normCount;

    private SimpleUNet(Builder b) {
        super(b.name);
        b.checkSettings();
        this.inSize = b.inSize.clone();
        this.numClasses = b.numClasses;
        this.width = b.width;
        this.weightStandardized = b.weightStandardized;
        this.dataType = b.dataType;
        Blocks.SeedSource seeds = new Blocks.SeedSource(b.seed);
        long h = inSize[0];
        long w = inSize[1];
        int w1 = width;
        int w2 = 2 * width;
        int w4 = 4 * width;
        int w8 = 8 * width;
        this.groupNormGroups = b.groupNormGroups;
        enc1 = withNorm(conv(seeds, "enc1", new long[] {h, w, inSize[2]}, w1, 3, 1));
        enc2 = withNorm(conv(seeds, "enc2", new long[] {h, w, w1}, w2, 3, 2));
        enc3 = withNorm(conv(seeds, "enc3", new long[] {h / 2, w / 2, w2}, w4, 3, 2));
        bottleneck = withNorm(conv(seeds, "bottleneck", new long[] {h / 4, w / 4, w4}, w8, 3, 2));
        dec1 = withNorm(transposed(seeds, "dec1", new long[] {h / 8, w / 8, w8}, w4));
        dec2 = withNorm(transposed(seeds, "dec2", new long[] {h / 4, w / 4, w4 + w4}, w2));
        dec3 = withNorm(transposed(seeds, "dec3", new long[] {h / 2, w / 2, w2 + w2}, w1));
        output = add(conv(seeds, "output", new long[] {h, w, w1 + w1}, numClasses, 1, 1));
    }

    /** Registers the layer, then (weight-standardized variant) its GroupNorm, so parameters list in call order. */
    private <L extends ConvLayer> L withNorm(L layer) {
        add(layer);
        int i = normCount++;
        if (weightStandardized) {
            norms[i] = add(Blocks.norm(true, layer.name() + "_norm", layer.outSize(), groupNormGroups, dataType));
        }
        return layer;
    }

    private ConvLayer conv(Blocks.SeedSource seeds, String name, long[] in, int out, int kernel, int stride) {
        return weightStandardized
                ? seeds.next(ScaledWSConv2d.builder(), (bb, s) -> bb.seed(s)).inSize(in).outChannels(out)
                        .kernelSize(kernel).stride(stride).padding("SAME").dataType(dataType).name(name).build()
                : seeds.next(Conv2d.builder(), (bb, s) -> bb.seed(s)).inSize(in).outChannels(out)
                        .kernelSize(kernel).stride(stride).padding("SAME").dataType(dataType).name(name).build();
    }

    private ConvTranspose2d transposed(Blocks.SeedSource seeds, String name, long[] in, int out) {
        return seeds.next(ConvTranspose2d.builder(), (bb, s) -> bb.seed(s)).inSize(in).outChannels(out)
                .kernelSize(4).stride(2).padding("SAME").dataType(dataType).name(name).build();
    }

    public long[] inSize() { return inSize.clone(); }
    public int numClasses() { return numClasses; }
    public int width() { return width; }
    public boolean weightStandardized() { return weightStandardized; }
    /** The data type of every parameter and of the input: FLOAT or DOUBLE. */
    public DataType dataType() { return dataType; }

    @Override
    protected SDVariable forward(SameDiff sd, SDVariable x) {
        SDVariable e1 = Blocks.convNormRelu(sd, enc1, norms[0], x);
        SDVariable e2 = Blocks.convNormRelu(sd, enc2, norms[1], e1);
        SDVariable e3 = Blocks.convNormRelu(sd, enc3, norms[2], e2);
        SDVariable b = Blocks.convNormRelu(sd, bottleneck, norms[3], e3);
        SDVariable d1 = Ops.concat(sd, -1, Blocks.convNormRelu(sd, dec1, norms[4], b), e3);
        SDVariable d2 = Ops.concat(sd, -1, Blocks.convNormRelu(sd, dec2, norms[5], d1), e2);
        SDVariable d3 = Ops.concat(sd, -1, Blocks.convNormRelu(sd, dec3, norms[6], d2), e1);
        return output.apply(sd, d3);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the tutorial's {@code (128, 128, 3)} input, 2 classes, width 64, plain convolutions. */
    public static final class Builder {
        private long[] inSize = {128, 128, 3};
        private int numClasses = 2;
        private int width = 64;
        private boolean weightStandardized;
        private int groupNormGroups = 8;
        private DataType dataType = DataType.FLOAT;
        private Long seed;
        private String name = "unet";

        private Builder() {}

        public Builder inSize(long... inSize) { this.inSize = inSize; return this; }
        public Builder numClasses(int numClasses) { this.numClasses = numClasses; return this; }
        /** Base channel count w (channels w, 2w, 4w, 8w); default 64 as in the tutorial. */
        public Builder width(int width) { this.width = width; return this; }
        /** ScaledWSConv2d + GroupNorm instead of plain Conv2d. */
        public Builder weightStandardized(boolean ws) { this.weightStandardized = ws; return this; }
        /** GroupNorm groups in the weight-standardized variant; default 8 (must divide w). */
        public Builder groupNormGroups(int groups) { this.groupNormGroups = groups; return this; }
        /**
         * The data type of every layer's parameters and of the input it takes: FLOAT (default) or DOUBLE,
         * e.g. to gradient-check or compare the whole network in float64. ({@code toDl4j} networks take
         * theirs from the {@code NeuralNetConfiguration}.)
         */
        public Builder dataType(DataType dataType) { this.dataType = dataType; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder name(String name) { this.name = name; return this; }

        public SimpleUNet build() { return new SimpleUNet(this); }

        /**
         * The same network as a DL4J ComputationGraph configuration (input {@code "image"}, NHWC; the
         * {@code org.brainstate4j.dl4j} layers, DL4J's ReLU, a {@link CloneSafeMergeVertex} (DL4J's MergeVertex) per skip connection,
         * and softmax cross-entropy per pixel in a {@link Dl4jCnnLossLayer}, output {@code "loss"}): with
         * a seed, its initial parameters are this builder's network's and {@code output()} is the
         * softmax of its logits over the classes. Layer and parameter names are the SameDiff
         * network's ({@code enc1}, {@code enc1_norm}, ..., {@code output}). Training settings come from
         * {@code defaults}.
         */
        public ComputationGraphConfiguration toDl4j(NeuralNetConfiguration.Builder defaults) {
            checkSettings();
            Blocks.SeedSource seeds = new Blocks.SeedSource(seed);
            ComputationGraphConfiguration.GraphBuilder graph = defaults.graphBuilder().addInputs("image");
            String e1 = block(graph, seeds, "enc1", false, width, 3, 1, "image");
            String e2 = block(graph, seeds, "enc2", false, 2 * width, 3, 2, e1);
            String e3 = block(graph, seeds, "enc3", false, 4 * width, 3, 2, e2);
            String b = block(graph, seeds, "bottleneck", false, 8 * width, 3, 2, e3);
            // MergeVertex concatenates on axis 1 for NCHW inputs and, in M2.1, switches itself to axis 3
            // for NHWC ones (MergeVertex.getOutputType): the channels here, as Ops.concat(sd, -1, ...);
            // CloneSafeMergeVertex keeps that axis in clones (MergeVertex.clone() drops it)
            graph.addVertex("skip1", new CloneSafeMergeVertex(), block(graph, seeds, "dec1", true, 4 * width, 4, 2, b), e3);
            graph.addVertex("skip2", new CloneSafeMergeVertex(), block(graph, seeds, "dec2", true, 2 * width, 4, 2, "skip1"), e2);
            graph.addVertex("skip3", new CloneSafeMergeVertex(), block(graph, seeds, "dec3", true, width, 4, 2, "skip2"), e1);
            graph.addLayer("output", convolution(seeds, "output", numClasses, 1, 1), "skip3");
            graph.addLayer("loss", Dl4jCnnLossLayer.of(LossFunctions.LossFunction.MCXENT, Activation.SOFTMAX, CNN2DFormat.NHWC, "loss"),
                    "output");
            return graph.setOutputs("loss")
                    .setInputTypes(InputType.convolutional(inSize[0], inSize[1], inSize[2], CNN2DFormat.NHWC)).build();
        }

        /** {@code relu(norm(layer(input)))} as graph vertices; returns the ReLU's name. */
        private String block(ComputationGraphConfiguration.GraphBuilder graph, Blocks.SeedSource seeds, String name,
                boolean transposed, int out, int kernel, int stride, String input) {
            graph.addLayer(name, transposed
                    ? seeds.next(Dl4jConvTranspose.convTranspose2d(), (bb, s) -> bb.seed(s)).outChannels(out)
                            .kernelSize(kernel).stride(stride).padding("SAME").name(name).build()
                    : convolution(seeds, name, out, kernel, stride), input);
            String last = name;
            if (weightStandardized) {
                graph.addLayer(name + "_norm", Dl4jGroupNorm.builder().numGroups(groupNormGroups).name(name + "_norm").build(), last);
                last = name + "_norm";
            }
            graph.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).name(name + "_relu").build(), last);
            return name + "_relu";
        }

        private org.deeplearning4j.nn.conf.layers.Layer convolution(Blocks.SeedSource seeds, String name, int out, int kernel, int stride) {
            return weightStandardized
                    ? seeds.next(Dl4jScaledWSConv.scaledWSConv2d(), (bb, s) -> bb.seed(s)).outChannels(out)
                            .kernelSize(kernel).stride(stride).padding("SAME").name(name).build()
                    : seeds.next(Dl4jConv.conv2d(), (bb, s) -> bb.seed(s)).outChannels(out)
                            .kernelSize(kernel).stride(stride).padding("SAME").name(name).build();
        }

        private void checkSettings() {
            Blocks.checkDataType("SimpleUNet", dataType);
            checkArgument(inSize != null && inSize.length == 3, "SimpleUNet: inSize (=%s) must be (height, width, channels)", inSize);
            checkArgument(inSize[0] > 0 && inSize[1] > 0 && inSize[0] % 8 == 0 && inSize[1] % 8 == 0,
                    "SimpleUNet: inSize (=%s) must have a height and width divisible by 8 (three stride-2 stages)", inSize);
            checkArgument(numClasses > 0, "SimpleUNet: numClasses (=%s) must be positive", numClasses);
            checkArgument(width > 0, "SimpleUNet: width (=%s) must be positive", width);
        }
    }
}
