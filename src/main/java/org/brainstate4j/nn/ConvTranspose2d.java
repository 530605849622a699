package org.brainstate4j.nn;

/** 2-D transposed convolution. See {@link ConvTranspose}. */
public final class ConvTranspose2d extends ConvTranspose {
    private ConvTranspose2d(ConvTranspose.Builder<ConvTranspose2d> b) {
        super(b);
    }

    public static ConvTranspose.Builder<ConvTranspose2d> builder() {
        return new ConvTranspose.Builder<>("ConvTranspose2d", 2, ConvTranspose2d::new);
    }
}
