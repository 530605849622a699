package org.brainstate4j.dl4j;

import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.ScaledWSConv;
import org.brainstate4j.nn.ScaledWSConv1d;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.ScaledWSConv3d;

/**
 * BrainState's {@code ScaledWSConv1d/2d/3d} ({@link ScaledWSConv}) as a DL4J layer configuration;
 * the gain is a DL4J weight parameter named {@code gain}.
 */
public final class Dl4jScaledWSConv extends Dl4jForwardConvBase {
    private Boolean wsGain;
    private Double eps;

    public Dl4jScaledWSConv() {}

    public static Builder scaledWSConv1d() { return new Builder(1); }
    public static Builder scaledWSConv2d() { return new Builder(2); }
    public static Builder scaledWSConv3d() { return new Builder(3); }

    @Override
    String family() { return "ScaledWSConv"; }

    @Override
    ConvLayer.Builder<?> newCoreBuilder() {
        return byRank(ScaledWSConv1d::builder, ScaledWSConv2d::builder, ScaledWSConv3d::builder);
    }

    @Override
    void configureFamily(ConvLayer.Builder<?> b) {
        super.configureFamily(b);
        ScaledWSConv.Builder<?> ws = (ScaledWSConv.Builder<?>) b;
        if (wsGain != null) ws.wsGain(wsGain);
        if (eps != null) ws.eps(eps);
    }

    /** Null: the SameDiff builder's default (a gain). */
    public Boolean getWsGain() { return wsGain; }
    public void setWsGain(Boolean wsGain) { this.wsGain = wsGain; }
    /** Null: the SameDiff builder's default floor. */
    public Double getEps() { return eps; }
    public void setEps(Double eps) { this.eps = eps; }

    /** Settings of {@link ScaledWSConv1d}, {@link ScaledWSConv2d} and {@link ScaledWSConv3d}. */
    public static final class Builder extends Dl4jForwardConvBase.Builder<Dl4jScaledWSConv, Builder> {
        Builder(int rank) { super(new Dl4jScaledWSConv(), rank); }

        public Builder wsGain(boolean wsGain) { layer.setWsGain(wsGain); return this; }
        public Builder eps(double eps) { layer.setEps(eps); return this; }
    }
}
