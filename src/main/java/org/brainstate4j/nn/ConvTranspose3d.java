package org.brainstate4j.nn;

/** 3-D transposed convolution. See {@link ConvTranspose}. */
public final class ConvTranspose3d extends ConvTranspose {
    private ConvTranspose3d(ConvTranspose.Builder<ConvTranspose3d> b) {
        super(b);
    }

    public static ConvTranspose.Builder<ConvTranspose3d> builder() {
        return new ConvTranspose.Builder<>("ConvTranspose3d", 3, ConvTranspose3d::new);
    }
}
