package org.brainstate4j.nn;

import java.util.function.Function;

/**
 * Transposed convolution, BrainState's {@code ConvTranspose1d/2d/3d}: the kernel, of shape
 * {@code (*kernelSize, outChannels, inChannels/groups)}, is flipped on every spatial axis and
 * convolved with window stride 1 over the input dilated by the stride. String padding, per axis:
 * <pre>
 *   SAME : L = ek + s - 2;                    lo = s > ek - 1 ? ek - 1 : ceil(L / 2);  hi = L - lo
 *   VALID: L = ek + s - 2 + max(ek - s, 0);   lo = ek - 1;                             hi = L - lo
 * </pre>
 * so SAME gives {@code in * s} and VALID {@code in * s + max(ek - s, 0)}; explicit pairs give
 * {@code (in - 1) * s + 1 + lo + hi - ek + 1}. There is no output padding and no input dilation.
 */
public sealed class ConvTranspose extends ConvLayer permits ConvTranspose1d, ConvTranspose2d, ConvTranspose3d {

    ConvTranspose(Builder<?> b) {
        super(b);
    }

    /** Builder of a transposed convolution of one rank; {@link #build()} validates every setting. */
    public static final class Builder<L extends ConvTranspose> extends ConvLayer.Builder<Builder<L>> {
        Builder(String layerType, int spatialDims, Function<Builder<L>, L> constructor) {
            super(layerType, spatialDims, true, constructor);
        }

        /** The layer, with its parameters initialized. */
        @Override
        @SuppressWarnings("unchecked") // the constructor given above makes an L
        public L build() { return (L) super.build(); }
    }
}
