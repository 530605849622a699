package org.brainstate4j.dl4j;

import org.brainstate4j.nn.ConvLayer;

/** Adds input dilation, which forward convolutions have and transposed ones do not. */
abstract class Dl4jForwardConvBase extends Dl4jConvBase {
    private int[] lhsDilation;

    protected Dl4jForwardConvBase() {}

    @Override
    void configureFamily(ConvLayer.Builder<?> b) {
        if (lhsDilation != null) ((ConvLayer.ForwardBuilder<?>) b).lhsDilation(lhsDilation);
    }

    public int[] getLhsDilation() { return lhsDilation; }
    public void setLhsDilation(int[] lhsDilation) { this.lhsDilation = lhsDilation; }

    /** Builder with input dilation. */
    public abstract static class Builder<L extends Dl4jForwardConvBase, B extends Builder<L, B>> extends Dl4jConvBase.Builder<L, B> {
        Builder(L layer, int rank) { super(layer, rank); }

        /** Zeros inserted between input elements; needs explicit padding. */
        public B lhsDilation(int... lhsDilation) { layer.setLhsDilation(lhsDilation); return self(); }
    }
}
