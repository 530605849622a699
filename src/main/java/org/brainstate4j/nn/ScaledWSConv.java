package org.brainstate4j.nn;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.brainstate4j.nn.init.Constant;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weight-standardized convolution, BrainState's {@code ScaledWSConv1d/2d/3d}: the ordinary
 * convolution applied to {@link WeightStandardization standardized} weights, with an optional
 * learnable per-output-channel {@code gain} (ones at start, shape {@code (1,)*n + (1, outChannels)}).
 * Order: standardize (with gain), multiply the mask, convolve, add the bias.
 */
public sealed class ScaledWSConv extends ConvLayer permits ScaledWSConv1d, ScaledWSConv2d, ScaledWSConv3d {
    private final double eps;

    ScaledWSConv(Builder<?> b) {
        super(b);
        this.eps = b.eps; // any value, as in BrainState: a floor of var * fanIn, so eps <= 0 is no floor at all
    }

    public final double eps() { return eps; }

    public final Optional<INDArray> gain() { return Optional.ofNullable(ownParameters().get("gain")); }

    @Override
    SDVariable kernel(SameDiff sd, Function<String, SDVariable> parameter) {
        SDVariable gain = ownParameters().containsKey("gain") ? parameter.apply("gain") : null;
        return WeightStandardization.apply(sd, parameter.apply("weight"), kernelShape(), eps, gain);
    }

    /** Builder of a weight-standardized convolution of one rank. */
    public static final class Builder<L extends ScaledWSConv> extends ConvLayer.ForwardBuilder<Builder<L>> {
        boolean wsGain = true;
        double eps = 1e-4;

        Builder(String layerType, int spatialDims, Function<Builder<L>, L> constructor) {
            super(layerType, spatialDims, constructor);
        }

        @Override
        void declareMore(ParameterDeclarations declarations, ConvSpec validated) {
            if (!wsGain) return;
            long[] gainShape = new long[validated.spatialDims() + 2];
            Arrays.fill(gainShape, 1);
            gainShape[gainShape.length - 1] = validated.outChannels();
            declarations.declare("gain", gainShape, Constant.ONES, false);
        }

        /** Learnable per-output-channel gain; default true. */
        public Builder<L> wsGain(boolean wsGain) { this.wsGain = wsGain; return this; }

        /**
         * Floor of {@code var * fanIn} (not an additive term); default 1e-4. Any value is accepted, as
         * BrainState does: {@code eps <= 0} leaves {@code var * fanIn} unfloored (a constant kernel then
         * standardizes to NaN, as in BrainState).
         */
        public Builder<L> eps(double eps) { this.eps = eps; return this; }

        /** The layer, with its parameters initialized. */
        @Override
        @SuppressWarnings("unchecked") // the constructor given above makes an L
        public L build() { return (L) super.build(); }
    }
}
