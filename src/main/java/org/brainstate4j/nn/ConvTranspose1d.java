package org.brainstate4j.nn;

/** 1-D transposed convolution. See {@link ConvTranspose}. */
public final class ConvTranspose1d extends ConvTranspose {
    private ConvTranspose1d(ConvTranspose.Builder<ConvTranspose1d> b) {
        super(b);
    }

    public static ConvTranspose.Builder<ConvTranspose1d> builder() {
        return new ConvTranspose.Builder<>("ConvTranspose1d", 1, ConvTranspose1d::new);
    }
}
