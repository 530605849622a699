package org.brainstate4j.models;

import static org.brainstate4j.Checks.checkArgument;

import org.brainstate4j.dl4j.Dl4jConv;
import org.brainstate4j.dl4j.Dl4jGroupNorm;
import org.brainstate4j.dl4j.Dl4jLinear;
import org.brainstate4j.dl4j.Dl4jScaledWSConv;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.Network;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The tutorial's {@code SimpleCNN}: three blocks of 3x3 SAME convolution (32, 64, 128 channels, no
 * bias), ReLU and 2x2 max pooling, then a {@link Linear} head to the class logits. The tutorial's
 * input is {@code (32, 32, 3)} with 10 classes; here both are parameters (pooling floors odd sizes,
 * so 28x28 gives 14, 7, 3). The weight-standardized variant uses {@link ScaledWSConv2d} followed by
 * {@link GroupNorm} in each block.
 */
public final class SimpleCNN extends Network {
    private final long[] inSize;
    private final int numClasses;
    private final boolean weightStandardized;
    private final DataType dataType;
    private final ConvLayer[] convs = new ConvLayer[3];
    private final GroupNorm[] norms = new GroupNorm[3];
    private final Linear fc;

    private SimpleCNN(Builder b) {
        super(b.name);
        b.checkSettings();
        this.inSize = b.inSize.clone();
        this.numClasses = b.numClasses;
        this.weightStandardized = b.weightStandardized;
        this.dataType = b.dataType;
        Blocks.SeedSource seeds = new Blocks.SeedSource(b.seed);
        long h = inSize[0];
        long w = inSize[1];
        long c = inSize[2];
        int[] widths = {32, 64, 128};
        for (int i = 0; i < 3; i++) {
            long[] in = {h, w, c};
            String name = "conv" + (i + 1);
            convs[i] = add(weightStandardized
                    ? seeds.next(ScaledWSConv2d.builder(), (bb, s) -> bb.seed(s)).inSize(in).outChannels(widths[i])
                            .kernelSize(3).padding("SAME").dataType(dataType).name(name).build()
                    : seeds.next(Conv2d.builder(), (bb, s) -> bb.seed(s)).inSize(in).outChannels(widths[i])
                            .kernelSize(3).padding("SAME").dataType(dataType).name(name).build());
            GroupNorm norm = Blocks.norm(weightStandardized, "norm" + (i + 1), convs[i].outSize(), b.groupNormGroups, dataType);
            norms[i] = norm == null ? null : add(norm);
            h /= 2;
            w /= 2;
            c = widths[i];
        }
        this.fc = add(seeds.next(Linear.builder(), (bb, s) -> bb.seed(s)).inSize(h * w * c).outSize(numClasses)
                .dataType(dataType).name("fc").build());
    }

    public long[] inSize() { return inSize.clone(); }
    public int numClasses() { return numClasses; }
    public boolean weightStandardized() { return weightStandardized; }
    /** The data type of every parameter and of the input: FLOAT or DOUBLE. */
    public DataType dataType() { return dataType; }

    @Override
    protected SDVariable forward(SameDiff sd, SDVariable x) {
        SDVariable h = x;
        for (int i = 0; i < 3; i++) {
            h = Blocks.maxPool2x2(sd, Blocks.convNormRelu(sd, convs[i], norms[i], h));
        }
        long[] pooled = fc.inSize();
        return fc.apply(sd, sd.reshape(h, -1, pooled[0]));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the tutorial's {@code (32, 32, 3)} input, 10 classes, plain convolutions. */
    public static final class Builder {
        private long[] inSize = {32, 32, 3};
        private int numClasses = 10;
        private boolean weightStandardized;
        private int groupNormGroups = 8;
        private DataType dataType = DataType.FLOAT;
        private Long seed;
        private String name = "cnn";

        private Builder() {}

        public Builder inSize(long... inSize) { this.inSize = inSize; return this; }
        public Builder numClasses(int numClasses) { this.numClasses = numClasses; return this; }
        /** ScaledWSConv2d + GroupNorm blocks instead of plain Conv2d. */
        public Builder weightStandardized(boolean ws) { this.weightStandardized = ws; return this; }
        /** GroupNorm groups in the weight-standardized variant; default 8. */
        public Builder groupNormGroups(int groups) { this.groupNormGroups = groups; return this; }
        /**
         * The data type of every layer's parameters and of the input it takes: FLOAT (default) or DOUBLE,
         * e.g. to gradient-check or compare the whole network in float64. ({@code toDl4j} networks take
         * theirs from the {@code NeuralNetConfiguration}.)
         */
        public Builder dataType(DataType dataType) { this.dataType = dataType; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder name(String name) { this.name = name; return this; }

        public SimpleCNN build() { return new SimpleCNN(this); }

        /**
         * The same network as a DL4J MultiLayerNetwork configuration (NHWC input, the
         * {@code org.brainstate4j.dl4j} layers, DL4J's ReLU and 2x2 max pooling, softmax
         * cross-entropy on the logits): with a seed, its initial parameters are this builder's
         * network's. Training settings (updater, ...) come from {@code defaults}.
         */
        public MultiLayerConfiguration toDl4j(NeuralNetConfiguration.Builder defaults) {
            checkSettings();
            Blocks.SeedSource seeds = new Blocks.SeedSource(seed);
            NeuralNetConfiguration.ListBuilder list = defaults.list();
            int[] widths = {32, 64, 128};
            for (int i = 0; i < 3; i++) {
                String n = String.valueOf(i + 1);
                list.layer(weightStandardized
                        ? seeds.next(Dl4jScaledWSConv.scaledWSConv2d(), (bb, s) -> bb.seed(s)).outChannels(widths[i])
                                .kernelSize(3).padding("SAME").name("conv" + n).build()
                        : seeds.next(Dl4jConv.conv2d(), (bb, s) -> bb.seed(s)).outChannels(widths[i])
                                .kernelSize(3).padding("SAME").name("conv" + n).build());
                if (weightStandardized) list.layer(Dl4jGroupNorm.builder().numGroups(groupNormGroups).name("norm" + n).build());
                list.layer(new ActivationLayer.Builder().activation(Activation.RELU).name("relu" + n).build());
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).name("pool" + n).build());
            }
            list.layer(seeds.next(Dl4jLinear.builder(), (bb, s) -> bb.seed(s)).outFeatures(numClasses).name("fc").build());
            list.layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).name("loss").build());
            return list.setInputType(InputType.convolutional(inSize[0], inSize[1], inSize[2], CNN2DFormat.NHWC)).build();
        }

        private void checkSettings() {
            Blocks.checkDataType("SimpleCNN", dataType);
            checkArgument(inSize != null && inSize.length == 3,
                    "SimpleCNN: inSize (=%s) must be (height, width, channels)", inSize);
            checkArgument(inSize[0] >= 8 && inSize[1] >= 8,
                    "SimpleCNN: inSize (=%s) must be at least 8x8 (three 2x2 poolings)", inSize);
            checkArgument(numClasses > 0, "SimpleCNN: numClasses (=%s) must be positive", numClasses);
        }
    }
}
