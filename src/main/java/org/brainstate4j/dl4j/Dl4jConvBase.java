package org.brainstate4j.dl4j;

import static org.brainstate4j.Checks.checkArgument;

import java.util.function.Supplier;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.Padding;
import org.brainstate4j.nn.ParameterDeclarations;
import org.brainstate4j.nn.init.Constant;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The settings every convolution family shares, as a DL4J layer configuration. A setting left
 * unset (null) is not passed on, so the SameDiff builder's default applies: the defaults and every
 * rule live in {@link ConvLayer.Builder} and {@link org.brainstate4j.nn.ConvSpec} only.
 * The input layout (channels first or last) follows the network's InputType.
 */
abstract class Dl4jConvBase extends Dl4jLayer {
    private int rank;
    private Integer outChannels;
    private int[] kernelSize;
    private int[] stride;
    private String padding;
    private int[][] paddingPairs;
    private int[] rhsDilation;
    private Integer groups;
    private boolean bias;

    protected Dl4jConvBase() {}

    /** {@code Conv}, {@code ScaledWSConv} or {@code ConvTranspose}. */
    abstract String family();

    /** A fresh SameDiff builder of this family and rank. */
    abstract ConvLayer.Builder<?> newCoreBuilder();

    /** The builder of {@code oneTwoThree} for this configuration's rank. */
    @SafeVarargs
    final ConvLayer.Builder<?> byRank(Supplier<? extends ConvLayer.Builder<?>>... oneTwoThree) {
        checkArgument(rank >= 1 && rank <= oneTwoThree.length,
                "%s: rank (=%s) must be 1, 2 or 3", getClass().getSimpleName(), rank);
        return oneTwoThree[rank - 1].get();
    }

    /** Applies the family's own settings (input dilation, weight standardization) to {@code b}. */
    void configureFamily(ConvLayer.Builder<?> b) {}

    @Override
    String layerType() { return family() + rank + "d"; }

    @Override
    int spatialDims() { return rank; }

    /** The SameDiff builder with every setting of this configuration and the input size {@code inSize}. */
    final ConvLayer.Builder<?> coreBuilder(long[] inSize, boolean channelFirst, DataType dataType, long seed) {
        ConvLayer.Builder<?> b = newCoreBuilder();
        b.inSize(inSize).channelFirst(channelFirst).dataType(dataType).seed(seed);
        if (outChannels != null) b.outChannels(outChannels);
        if (kernelSize != null) b.kernelSize(kernelSize);
        if (stride != null) b.stride(stride);
        if (paddingPairs != null) b.padding(Padding.pairs(paddingPairs));
        else if (padding != null) b.padding(padding);
        if (rhsDilation != null) b.rhsDilation(rhsDilation);
        if (groups != null) b.groups(groups);
        if (bias) b.biasInit(Constant.ZEROS);
        configureFamily(b);
        return b;
    }

    private ConvLayer.Builder<?> coreBuilder(DataType dataType, long seed) {
        return coreBuilder(requiredInSize(), isChannelFirst(), dataType, seed);
    }

    @Override
    ParameterDeclarations declarations() {
        return coreBuilder(DataType.FLOAT, 0L).parameterDeclarations();
    }

    @Override
    ConvLayer coreLayer(DataType dataType, long seed) {
        return coreBuilder(dataType, seed).build();
    }


    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        SampleLayout layout = layoutOf(inputType);
        long[] outSize = coreBuilder(layout.inSize(), layout.channelFirst(), DataType.FLOAT, 0L).geometry().outSize();
        return layout.typeOf(outSize);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        // flat image rows (convolutionalFlat, as DL4J's MNIST iterators give) become images first
        if (rank == 2 && (inputType instanceof InputType.InputTypeConvolutionalFlat
                || inputType instanceof InputType.InputTypeConvolutional)) {
            return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
        }
        layoutOf(inputType); // any other input type must be of this rank: refused here with the layer's name
        return null;
    }

    // ---- bean properties (DL4J's JSON); null means the SameDiff builder's default ----------------

    public int getRank() { return rank; }
    public void setRank(int rank) { this.rank = rank; }
    public Integer getOutChannels() { return outChannels; }
    public void setOutChannels(Integer outChannels) { this.outChannels = outChannels; }
    public int[] getKernelSize() { return kernelSize; }
    public void setKernelSize(int[] kernelSize) { this.kernelSize = kernelSize; }
    public int[] getStride() { return stride; }
    public void setStride(int[] stride) { this.stride = stride; }
    /** {@code "SAME"} or {@code "VALID"}; ignored when {@link #getPaddingPairs()} is set. */
    public String getPadding() { return padding; }
    public void setPadding(String padding) { this.padding = padding; }
    /** Explicit {@code (lo, hi)} pairs: one per spatial axis, or one for every axis. */
    public int[][] getPaddingPairs() { return paddingPairs; }
    public void setPaddingPairs(int[][] paddingPairs) { this.paddingPairs = paddingPairs; }
    public int[] getRhsDilation() { return rhsDilation; }
    public void setRhsDilation(int[] rhsDilation) { this.rhsDilation = rhsDilation; }
    public Integer getGroups() { return groups; }
    public void setGroups(Integer groups) { this.groups = groups; }
    /** A bias, initialized to zeros (default: none, as in BrainState). */
    public boolean isBias() { return bias; }
    public void setBias(boolean bias) { this.bias = bias; }

    /** Fluent settings of every convolution family; {@link #build()} returns the configuration. */
    public abstract static class Builder<L extends Dl4jConvBase, B extends Builder<L, B>> {
        final L layer;

        Builder(L layer, int rank) {
            this.layer = layer;
            layer.setRank(rank);
        }

        @SuppressWarnings("unchecked")
        final B self() { return (B) this; }

        public B outChannels(int outChannels) { layer.setOutChannels(outChannels); return self(); }
        /** A scalar (repeated on every axis) or one value per spatial axis. */
        public B kernelSize(int... kernelSize) { layer.setKernelSize(kernelSize); return self(); }
        public B stride(int... stride) { layer.setStride(stride); return self(); }
        /** {@code "SAME"} or {@code "VALID"}. */
        public B padding(String padding) { layer.setPadding(padding); layer.setPaddingPairs(null); return self(); }
        /** {@code (p, p)} on every spatial axis. */
        public B padding(int padding) { return paddingPairs(new int[] {padding, padding}); }
        /** Explicit {@code (lo, hi)} pairs; negative amounts crop. */
        public B paddingPairs(int[]... pairs) { layer.setPaddingPairs(pairs); return self(); }
        public B rhsDilation(int... rhsDilation) { layer.setRhsDilation(rhsDilation); return self(); }
        public B groups(int groups) { layer.setGroups(groups); return self(); }
        /** Adds a bias initialized to zeros. */
        public B bias(boolean bias) { layer.setBias(bias); return self(); }
        /** Seed of the initializers (default: drawn from ND4J's generator, seeded by the network). */
        public B seed(long seed) { layer.setSeed(seed); return self(); }
        /** DL4J's layer name. */
        public B name(String name) { layer.setLayerName(name); return self(); }

        public L build() { return layer; }
    }
}
