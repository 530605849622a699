package org.brainstate4j.nn;

/** 2-D weight-standardized convolution. See {@link ScaledWSConv}. */
public final class ScaledWSConv2d extends ScaledWSConv {
    private ScaledWSConv2d(ScaledWSConv.Builder<ScaledWSConv2d> b) {
        super(b);
    }

    public static ScaledWSConv.Builder<ScaledWSConv2d> builder() {
        return new ScaledWSConv.Builder<>("ScaledWSConv2d", 2, ScaledWSConv2d::new);
    }
}
