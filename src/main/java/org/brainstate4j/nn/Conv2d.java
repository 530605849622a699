package org.brainstate4j.nn;

/** 2-D convolution; input {@code (batch, height, width, channels)} or channel-first. See {@link Conv}. */
public final class Conv2d extends Conv {
    private Conv2d(Conv.Builder<Conv2d> b) {
        super(b);
    }

    public static Conv.Builder<Conv2d> builder() {
        return new Conv.Builder<>("Conv2d", 2, Conv2d::new);
    }
}
