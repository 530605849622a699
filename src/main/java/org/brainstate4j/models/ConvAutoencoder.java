package org.brainstate4j.models;

import static org.brainstate4j.Checks.checkArgument;

import org.brainstate4j.dl4j.Dl4jCnnLossLayer;
import org.brainstate4j.dl4j.Dl4jConv;
import org.brainstate4j.dl4j.Dl4jConvTranspose;
import org.brainstate4j.dl4j.Dl4jGroupNorm;
import org.brainstate4j.dl4j.Dl4jScaledWSConv;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.Network;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The tutorial's {@code ConvAutoencoder}: an encoder of three 4x4 stride-2 SAME convolutions
 * (32, 64, latentDim channels, ReLU) and a decoder of three 4x4 stride-2 SAME transposed convolutions
 * (64, 32, input channels; ReLU, ReLU, sigmoid). {@code (64, 64, 3)} -> latent {@code (8, 8, 128)} ->
 * {@code (64, 64, 3)} in the tutorial; the input size (divisible by 8) and latentDim are parameters.
 *
 * <p>The weight-standardized variant uses {@link ScaledWSConv2d} for the encoder's convolutions and a
 * {@link GroupNorm} after every layer but the last (before each ReLU); the transposed convolutions
 * stay plain, as BrainState has no weight-standardized transposed convolution.
 */
public final class ConvAutoencoder extends Network {
    private final long[] inSize;
    private final int latentDim;
    private final boolean weightStandardized;
    private final DataType dataType;
    private final ConvLayer[] encoder = new ConvLayer[3];
    private final ConvTranspose2d[] decoder = new ConvTranspose2d[3];
    private final GroupNorm[] norms = new GroupNorm[5];

    private ConvAutoencoder(Builder b) {
        super(b.name);
        b.checkSettings();
        this.inSize = b.inSize.clone();
        this.latentDim = b.latentDim;
        this.weightStandardized = b.weightStandardized;
        this.dataType = b.dataType;
        Blocks.SeedSource seeds = new Blocks.SeedSource(b.seed);
        long h = inSize[0];
        long w = inSize[1];
        long c = inSize[2];
        int[] encoderWidths = {32, 64, latentDim};
        for (int i = 0; i < 3; i++) {
            long[] in = {h, w, c};
            String name = "enc_conv" + (i + 1);
            encoder[i] = add(weightStandardized
                    ? seeds.next(ScaledWSConv2d.builder(), (bb, s) -> bb.seed(s)).inSize(in).outChannels(encoderWidths[i])
                            .kernelSize(4).stride(2).padding("SAME").dataType(dataType).name(name).build()
                    : seeds.next(Conv2d.builder(), (bb, s) -> bb.seed(s)).inSize(in).outChannels(encoderWidths[i])
                            .kernelSize(4).stride(2).padding("SAME").dataType(dataType).name(name).build());
            GroupNorm norm = Blocks.norm(weightStandardized, name + "_norm", encoder[i].outSize(), b.groupNormGroups, dataType);
            norms[i] = norm == null ? null : add(norm);
            h /= 2;
            w /= 2;
            c = encoderWidths[i];
        }
        int[] decoderWidths = {64, 32, Math.toIntExact(inSize[2])};
        for (int i = 0; i < 3; i++) {
            String name = "dec_conv" + (i + 1);
            decoder[i] = add(seeds.next(ConvTranspose2d.builder(), (bb, s) -> bb.seed(s)).inSize(h, w, c)
                    .outChannels(decoderWidths[i]).kernelSize(4).stride(2).padding("SAME").dataType(dataType).name(name).build());
            if (i < 2) {
                GroupNorm norm = Blocks.norm(weightStandardized, name + "_norm", decoder[i].outSize(), b.groupNormGroups, dataType);
                norms[3 + i] = norm == null ? null : add(norm);
            }
            h *= 2;
            w *= 2;
            c = decoderWidths[i];
        }
    }

    public long[] inSize() { return inSize.clone(); }

    /** Per-sample latent shape {@code (H/8, W/8, latentDim)}. */
    public long[] latentSize() { return encoder[2].outSize(); }

    public boolean weightStandardized() { return weightStandardized; }
    /** The data type of every parameter and of the input: FLOAT or DOUBLE. */
    public DataType dataType() { return dataType; }

    /** Image to latent representation. */
    public SDVariable encode(SameDiff sd, SDVariable x) {
        SDVariable h = x;
        for (int i = 0; i < 3; i++) h = Blocks.convNormRelu(sd, encoder[i], norms[i], h);
        return h;
    }

    /** Latent representation to image, in [0, 1]. */
    public SDVariable decode(SameDiff sd, SDVariable z) {
        SDVariable h = Blocks.convNormRelu(sd, decoder[0], norms[3], z);
        h = Blocks.convNormRelu(sd, decoder[1], norms[4], h);
        return sd.nn().sigmoid(decoder[2].apply(sd, h));
    }

    @Override
    protected SDVariable forward(SameDiff sd, SDVariable x) {
        return decode(sd, encode(sd, x));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the tutorial's {@code (64, 64, 3)} input and latentDim 128. */
    public static final class Builder {
        private long[] inSize = {64, 64, 3};
        private int latentDim = 128;
        private boolean weightStandardized;
        private int groupNormGroups = 8;
        private DataType dataType = DataType.FLOAT;
        private Long seed;
        private String name = "autoencoder";

        private Builder() {}

        public Builder inSize(long... inSize) { this.inSize = inSize; return this; }
        public Builder latentDim(int latentDim) { this.latentDim = latentDim; return this; }
        /** ScaledWSConv2d encoder and GroupNorm after every layer but the last. */
        public Builder weightStandardized(boolean ws) { this.weightStandardized = ws; return this; }
        /** GroupNorm groups in the weight-standardized variant; default 8 (must divide 32, 64 and latentDim). */
        public Builder groupNormGroups(int groups) { this.groupNormGroups = groups; return this; }
        /**
         * The data type of every layer's parameters and of the input it takes: FLOAT (default) or DOUBLE,
         * e.g. to gradient-check or compare the whole network in float64. ({@code toDl4j} networks take
         * theirs from the {@code NeuralNetConfiguration}.)
         */
        public Builder dataType(DataType dataType) { this.dataType = dataType; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder name(String name) { this.name = name; return this; }

        public ConvAutoencoder build() { return new ConvAutoencoder(this); }

        /**
         * The same network (plain or weight-standardized) as a DL4J MultiLayerNetwork configuration
         * (NHWC input, the {@code org.brainstate4j.dl4j} layers, DL4J's ReLU, and the sigmoid with a per-pixel mean
         * squared error in a {@link Dl4jCnnLossLayer}): with a seed, its initial parameters are this
         * builder's network's and {@code output()} is its reconstruction. DL4J's MSE is the mean over
         * the channels of each pixel, summed over the pixels and averaged over the minibatch.
         * Training settings (updater, ...) come from {@code defaults}.
         */
        public MultiLayerConfiguration toDl4j(NeuralNetConfiguration.Builder defaults) {
            checkSettings();
            Blocks.SeedSource seeds = new Blocks.SeedSource(seed);
            NeuralNetConfiguration.ListBuilder list = defaults.list();
            int[] encoder = {32, 64, latentDim};
            for (int i = 0; i < 3; i++) {
                String n = "enc_conv" + (i + 1);
                list.layer(weightStandardized
                        ? seeds.next(Dl4jScaledWSConv.scaledWSConv2d(), (bb, s) -> bb.seed(s)).outChannels(encoder[i])
                                .kernelSize(4).stride(2).padding("SAME").name(n).build()
                        : seeds.next(Dl4jConv.conv2d(), (bb, s) -> bb.seed(s)).outChannels(encoder[i]).kernelSize(4)
                                .stride(2).padding("SAME").name(n).build());
                if (weightStandardized) list.layer(Dl4jGroupNorm.builder().numGroups(groupNormGroups).name(n + "_norm").build());
                list.layer(new ActivationLayer.Builder().activation(Activation.RELU).name(n + "_relu").build());
            }
            int[] decoder = {64, 32, Math.toIntExact(inSize[2])};
            for (int i = 0; i < 3; i++) {
                String n = "dec_conv" + (i + 1);
                list.layer(seeds.next(Dl4jConvTranspose.convTranspose2d(), (bb, s) -> bb.seed(s)).outChannels(decoder[i])
                        .kernelSize(4).stride(2).padding("SAME").name(n).build());
                if (i == 2) continue;
                if (weightStandardized) list.layer(Dl4jGroupNorm.builder().numGroups(groupNormGroups).name(n + "_norm").build());
                list.layer(new ActivationLayer.Builder().activation(Activation.RELU).name(n + "_relu").build());
            }
            list.layer(Dl4jCnnLossLayer.of(LossFunctions.LossFunction.MSE, Activation.SIGMOID, CNN2DFormat.NHWC, "loss"));
            return list.setInputType(InputType.convolutional(inSize[0], inSize[1], inSize[2], CNN2DFormat.NHWC)).build();
        }

        private void checkSettings() {
            Blocks.checkDataType("ConvAutoencoder", dataType);
            checkArgument(inSize != null && inSize.length == 3, "ConvAutoencoder: inSize (=%s) must be (height, width, channels)", inSize);
            checkArgument(inSize[0] % 8 == 0 && inSize[1] % 8 == 0 && inSize[0] > 0 && inSize[1] > 0,
                    "ConvAutoencoder: inSize (=%s) must have a height and width divisible by 8 (three stride-2 stages)", inSize);
            checkArgument(latentDim > 0, "ConvAutoencoder: latentDim (=%s) must be positive", latentDim);
        }
    }
}
