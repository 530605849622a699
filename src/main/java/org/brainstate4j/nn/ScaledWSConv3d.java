package org.brainstate4j.nn;

/** 3-D weight-standardized convolution. See {@link ScaledWSConv}. */
public final class ScaledWSConv3d extends ScaledWSConv {
    private ScaledWSConv3d(ScaledWSConv.Builder<ScaledWSConv3d> b) {
        super(b);
    }

    public static ScaledWSConv.Builder<ScaledWSConv3d> builder() {
        return new ScaledWSConv.Builder<>("ScaledWSConv3d", 3, ScaledWSConv3d::new);
    }
}
