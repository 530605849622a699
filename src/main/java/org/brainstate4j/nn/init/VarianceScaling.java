package org.brainstate4j.nn.init;

import static org.brainstate4j.Checks.checkArgument;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BrainState's (and JAX's) variance scaling: {@code variance = scale / fan}, with fans taken from
 * the kernel shape: {@code receptive = prod(shape[:-2])}, {@code fanIn = shape[-2] * receptive},
 * {@code fanOut = shape[-1] * receptive}.
 */
public class VarianceScaling implements Initializer {
    /** Which fan divides the scale. */
    public enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

    /** The distribution with the requested variance. */
    public enum Distribution { TRUNCATED_NORMAL, NORMAL, UNIFORM }

    /** Standard deviation of a standard normal truncated to [-2, 2]; dividing by it restores unit variance. */
    static final double TRUNCATED_NORMAL_STD = 0.87962566103423978;

    private final double scale;
    private final Mode mode;
    private final Distribution distribution;

    public VarianceScaling(double scale, Mode mode, Distribution distribution) {
        checkArgument(scale > 0, "scale (=%s) must be positive", scale);
        this.scale = scale;
        this.mode = mode;
        this.distribution = distribution;
    }

    @Override
    public INDArray create(long[] shape, DataType dataType, RandomGenerator random) {
        double variance = scale / Math.max(1.0, fan(shape));
        return switch (distribution) {
            case TRUNCATED_NORMAL -> {
                double std = Math.sqrt(variance) / TRUNCATED_NORMAL_STD;
                yield Sampling.fill(shape, dataType, () -> std * Sampling.truncatedStandardNormal(random));
            }
            case NORMAL -> {
                double std = Math.sqrt(variance);
                yield Sampling.fill(shape, dataType, () -> std * random.nextGaussian());
            }
            case UNIFORM -> {
                double limit = Math.sqrt(3.0 * variance);
                yield Sampling.fill(shape, dataType, () -> (2 * random.nextDouble() - 1) * limit);
            }
        };
    }

    private double fan(long[] shape) {
        double fanIn;
        double fanOut;
        if (shape.length == 0) {
            fanIn = fanOut = 1;
        } else if (shape.length == 1) {
            fanIn = fanOut = shape[0];
        } else {
            double receptive = 1;
            for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
            fanIn = shape[shape.length - 2] * receptive;
            fanOut = shape[shape.length - 1] * receptive;
        }
        return switch (mode) {
            case FAN_IN -> fanIn;
            case FAN_OUT -> fanOut;
            case FAN_AVG -> (fanIn + fanOut) / 2;
        };
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(scale=" + scale + ", mode=" + mode + ", distribution=" + distribution + ")";
    }
}
