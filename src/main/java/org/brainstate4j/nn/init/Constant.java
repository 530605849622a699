package org.brainstate4j.nn.init;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every entry equal to one value (BrainState's {@code Constant}, {@code ZeroInit} is {@code Constant(0)}). */
public record Constant(double value) implements Initializer {
    public static final Constant ZEROS = new Constant(0.0);
    public static final Constant ONES = new Constant(1.0);

    @Override
    public INDArray create(long[] shape, DataType dataType, RandomGenerator random) {
        return Nd4j.valueArrayOf(shape, value, dataType);
    }
}
