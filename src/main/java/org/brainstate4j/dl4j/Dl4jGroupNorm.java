package org.brainstate4j.dl4j;

import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.ParameterDeclarations;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * BrainState's {@code GroupNorm} ({@link GroupNorm}) as a DL4J layer configuration, on any input
 * type (feed-forward, recurrent, convolutional, convolutional3D); the channel axis follows the
 * InputType's layout. Unset settings take the SameDiff builder's defaults.
 */
public final class Dl4jGroupNorm extends Dl4jLayer {
    private Integer numGroups;
    private Integer groupSize;
    private Double epsilon;
    private boolean noScale;
    private boolean noBias;

    public Dl4jGroupNorm() {}

    public static Builder builder() { return new Builder(); }

    @Override
    String layerType() { return "GroupNorm"; }

    @Override
    int spatialDims() { return -1; }

    private GroupNorm.Builder coreBuilder(long[] inSize, boolean channelFirst, DataType dataType) {
        GroupNorm.Builder b = GroupNorm.builder().inSize(inSize).channelFirst(channelFirst).dataType(dataType);
        if (numGroups != null) b.numGroups(numGroups);
        if (groupSize != null) b.groupSize(groupSize);
        if (epsilon != null) b.epsilon(epsilon);
        if (noScale) b.scaleInit(null);
        if (noBias) b.biasInit(null);
        return b;
    }

    @Override
    ParameterDeclarations declarations() {
        return coreBuilder(requiredInSize(), isChannelFirst(), DataType.FLOAT).parameterDeclarations();
    }

    @Override
    GroupNorm coreLayer(DataType dataType, long seed) {
        return coreBuilder(requiredInSize(), isChannelFirst(), dataType).seed(seed).build();
    }


    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        SampleLayout layout = layoutOf(inputType);
        coreBuilder(layout.inSize(), layout.channelFirst(), DataType.FLOAT).parameterDeclarations(); // validates
        return layout.typeOf(layout.inSize());
    }

    // ---- bean properties (DL4J's JSON); null means the SameDiff builder's default ----------------

    public Integer getNumGroups() { return numGroups; }
    public void setNumGroups(Integer numGroups) { this.numGroups = numGroups; }
    public Integer getGroupSize() { return groupSize; }
    public void setGroupSize(Integer groupSize) { this.groupSize = groupSize; }
    public Double getEpsilon() { return epsilon; }
    public void setEpsilon(Double epsilon) { this.epsilon = epsilon; }
    /** True: no learnable scale (the SameDiff builder's {@code scaleInit(null)}). */
    public boolean isNoScale() { return noScale; }
    public void setNoScale(boolean noScale) { this.noScale = noScale; }
    /** True: no learnable bias (the SameDiff builder's {@code biasInit(null)}). */
    public boolean isNoBias() { return noBias; }
    public void setNoBias(boolean noBias) { this.noBias = noBias; }

    /** Fluent settings; {@link #build()} returns the configuration. */
    public static final class Builder {
        private final Dl4jGroupNorm layer = new Dl4jGroupNorm();

        private Builder() {}

        /** Number of channel groups; clears {@link #groupSize}. */
        public Builder numGroups(int numGroups) { layer.setNumGroups(numGroups); layer.setGroupSize(null); return this; }
        /** Channels per group; clears {@link #numGroups}. */
        public Builder groupSize(int groupSize) { layer.setGroupSize(groupSize); layer.setNumGroups(null); return this; }
        public Builder epsilon(double epsilon) { layer.setEpsilon(epsilon); return this; }
        /** False: no learnable scale. */
        public Builder scale(boolean scale) { layer.setNoScale(!scale); return this; }
        /** False: no learnable bias. */
        public Builder bias(boolean bias) { layer.setNoBias(!bias); return this; }
        public Builder name(String name) { layer.setLayerName(name); return this; }

        public Dl4jGroupNorm build() { return layer; }
    }
}
