package org.brainstate4j.nn;

/** 1-D weight-standardized convolution. See {@link ScaledWSConv}. */
public final class ScaledWSConv1d extends ScaledWSConv {
    private ScaledWSConv1d(ScaledWSConv.Builder<ScaledWSConv1d> b) {
        super(b);
    }

    public static ScaledWSConv.Builder<ScaledWSConv1d> builder() {
        return new ScaledWSConv.Builder<>("ScaledWSConv1d", 1, ScaledWSConv1d::new);
    }
}
