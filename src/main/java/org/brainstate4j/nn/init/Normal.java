package org.brainstate4j.nn.init;

import static org.brainstate4j.Checks.checkArgument;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Independent {@code N(mean, std^2)} entries. */
public record Normal(double mean, double std) implements Initializer {
    public Normal {
        checkArgument(std >= 0, "std (=%s) must be non-negative", std);
    }

    @Override
    public INDArray create(long[] shape, DataType dataType, RandomGenerator random) {
        return Sampling.fill(shape, dataType, () -> mean + std * random.nextGaussian());
    }
}
