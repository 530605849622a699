package org.brainstate4j.dl4j;

import org.brainstate4j.nn.Conv1d;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.Conv3d;
import org.brainstate4j.nn.ConvLayer;

/**
 * BrainState's {@code Conv1d/2d/3d} ({@link org.brainstate4j.nn.Conv}) as a DL4J layer configuration:
 * {@code Dl4jConv.conv2d().outChannels(16).kernelSize(3).build()} in a {@code list()} or
 * {@code graphBuilder()}. Input: recurrent (1-D), convolutional (2-D) or convolutional3D.
 */
public final class Dl4jConv extends Dl4jForwardConvBase {
    public Dl4jConv() {}

    public static Builder conv1d() { return new Builder(1); }
    public static Builder conv2d() { return new Builder(2); }
    public static Builder conv3d() { return new Builder(3); }

    @Override
    String family() { return "Conv"; }

    @Override
    ConvLayer.Builder<?> newCoreBuilder() {
        return byRank(Conv1d::builder, Conv2d::builder, Conv3d::builder);
    }

    /** Settings of {@link Conv1d}, {@link Conv2d} and {@link Conv3d}. */
    public static final class Builder extends Dl4jForwardConvBase.Builder<Dl4jConv, Builder> {
        Builder(int rank) { super(new Dl4jConv(), rank); }
    }
}
