package org.brainstate4j.nn;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small helpers for tests that build a graph around one layer and run it. */
final class Graphs {
    private Graphs() {}

    /** Applies {@code layer} to a placeholder {@code x} of {@code input}'s shape and runs the graph. */
    static INDArray forward(ConvLayer layer, INDArray input) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", input.dataType(), input.shape());
        SDVariable y = layer.apply(sd, x);
        return sd.output(Map.of("x", input), y.name()).get(y.name());
    }

    /** A batched all-ones input of shape {@code (batch, *sample)}, like the tutorial's {@code jnp.ones}. */
    static INDArray ones(long batch, long... sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return Nd4j.ones(DataType.FLOAT, shape);
    }

    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) p *= d;
        return p;
    }
}
