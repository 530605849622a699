package org.brainstate4j.nn.init;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Creates a parameter's initial value for a given shape. Values are drawn in Java from the
 * {@link RandomGenerator} passed in, so the same seed gives the same weights on every ND4J backend.
 */
@FunctionalInterface
public interface Initializer {

    /** A new array of {@code shape} and {@code dataType}. */
    INDArray create(long[] shape, DataType dataType, RandomGenerator random);

    /** Uses {@code value} itself (copied and cast); its shape must equal the parameter's shape. */
    static Initializer of(INDArray value) {
        checkArgument(value != null, "Initializer.of: the initial value must not be null");
        INDArray copy = value.dup();
        return (shape, dataType, random) -> {
            checkArgument(Arrays.equals(copy.shape(), shape),
                    "initial value of shape %s does not match the parameter shape %s", copy.shape(), shape);
            return copy.castTo(dataType).dup();
        };
    }
}
