package org.brainstate4j.nn.init;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Fills arrays from a Java sampler, so values do not depend on the ND4J backend's generator. */
final class Sampling {
    private Sampling() {}

    static INDArray fill(long[] shape, DataType dataType, DoubleSupplier sampler) {
        long count = 1;
        for (long d : shape) count *= d;
        double[] values = new double[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) values[i] = sampler.getAsDouble();
        return Nd4j.create(values, shape, DataType.DOUBLE).castTo(dataType);
    }

    /** A standard normal sample conditioned on {@code [-2, 2]} (rejection sampling). */
    static double truncatedStandardNormal(java.util.random.RandomGenerator random) {
        while (true) {
            double z = random.nextGaussian();
            if (z >= -2.0 && z <= 2.0) return z;
        }
    }
}
