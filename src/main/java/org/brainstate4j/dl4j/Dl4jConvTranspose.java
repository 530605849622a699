package org.brainstate4j.dl4j;

import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.ConvTranspose1d;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.ConvTranspose3d;

/** BrainState's {@code ConvTranspose1d/2d/3d} ({@link org.brainstate4j.nn.ConvTranspose}) as a DL4J layer configuration. */
public final class Dl4jConvTranspose extends Dl4jConvBase {
    public Dl4jConvTranspose() {}

    public static Builder convTranspose1d() { return new Builder(1); }
    public static Builder convTranspose2d() { return new Builder(2); }
    public static Builder convTranspose3d() { return new Builder(3); }

    @Override
    String family() { return "ConvTranspose"; }

    @Override
    ConvLayer.Builder<?> newCoreBuilder() {
        return byRank(ConvTranspose1d::builder, ConvTranspose2d::builder, ConvTranspose3d::builder);
    }

    /** Settings of {@link ConvTranspose1d}, {@link ConvTranspose2d} and {@link ConvTranspose3d}. */
    public static final class Builder extends Dl4jConvBase.Builder<Dl4jConvTranspose, Builder> {
        Builder(int rank) { super(new Dl4jConvTranspose(), rank); }
    }
}
