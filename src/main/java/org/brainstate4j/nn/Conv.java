package org.brainstate4j.nn;

import java.util.function.Function;

/**
 * Convolution, BrainState's {@code Conv1d/2d/3d}: one {@code lax.conv_general_dilated} call with
 * window strides, padding, input ({@code lhsDilation}) and kernel ({@code rhsDilation}) dilation and
 * feature groups. Kernel shape {@code (*kernelSize, inChannels/groups, outChannels)}.
 * Output size per axis: SAME {@code ceil(in/s)}; VALID {@code ceil((in - ek + 1)/s)}; explicit
 * {@code floor(((in-1)*lhs + 1 + lo + hi - ek)/s) + 1} with {@code ek = (k-1)*d + 1}.
 */
public sealed class Conv extends ConvLayer permits Conv1d, Conv2d, Conv3d {

    Conv(Builder<?> b) {
        super(b);
    }

    /** Builder of a convolution of one rank; {@link #build()} validates every setting. */
    public static final class Builder<L extends Conv> extends ConvLayer.ForwardBuilder<Builder<L>> {
        Builder(String layerType, int spatialDims, Function<Builder<L>, L> constructor) {
            super(layerType, spatialDims, constructor);
        }

        /** The layer, with its parameters initialized. */
        @Override
        @SuppressWarnings("unchecked") // the constructor given above makes an L
        public L build() { return (L) super.build(); }
    }
}
