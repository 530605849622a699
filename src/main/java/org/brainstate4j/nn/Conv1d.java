package org.brainstate4j.nn;

/** 1-D convolution; input {@code (batch, length, channels)} or channel-first. See {@link Conv}. */
public final class Conv1d extends Conv {
    private Conv1d(Conv.Builder<Conv1d> b) {
        super(b);
    }

    public static Conv.Builder<Conv1d> builder() {
        return new Conv.Builder<>("Conv1d", 1, Conv1d::new);
    }
}
