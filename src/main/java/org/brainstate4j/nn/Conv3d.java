package org.brainstate4j.nn;

/** 3-D convolution; input {@code (batch, depth, height, width, channels)} or channel-first. See {@link Conv}. */
public final class Conv3d extends Conv {
    private Conv3d(Conv.Builder<Conv3d> b) {
        super(b);
    }

    public static Conv.Builder<Conv3d> builder() {
        return new Conv.Builder<>("Conv3d", 3, Conv3d::new);
    }
}
