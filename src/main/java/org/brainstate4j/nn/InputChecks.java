package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import java.util.Optional;
import org.brainstate4j.graph.StaticShapes;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/** The checks a layer makes on its input when it is applied, before any op is added. */
final class InputChecks {
    private InputChecks() {}

    /**
     * The static shape of {@code x}, after checking its data type, that its rank is that of
     * {@code inSize} with or without a leading batch axis, and that its per-sample shape equals
     * {@code inSize} exactly.
     */
    static long[] requireShape(Module layer, SDVariable x, long[] inSize, DataType dataType) {
        String who = layer.typeName() + " '" + layer.name() + "'";
        checkArgument(x.dataType() == dataType,
                "%s: input '%s' has data type %s but the layer computes in %s; "
                        + "build the layer with dataType(%s) or cast the input",
                who, x.name(), x.dataType(), dataType, x.dataType());
        Optional<long[]> known = StaticShapes.of(x);
        checkArgument(known.isPresent(),
                "%s: the shape of input '%s' cannot be determined before the graph runs; "
                        + "declare it with StaticShapes.record(x, shape)", who, x.name());
        long[] shape = known.get();
        int sampleRank = inSize.length;
        checkArgument(shape.length == sampleRank + 1 || shape.length == sampleRank,
                "%s: expected a %s-D (batched) or %s-D (unbatched) input, got a %s-D input '%s' of shape %s",
                who, sampleRank + 1, sampleRank, shape.length, x.name(), shape);
        long[] sample = shape.length == sampleRank ? shape : Arrays.copyOfRange(shape, 1, shape.length);
        checkArgument(Arrays.equals(sample, inSize),
                "%s: expected per-sample input shape %s (inSize), got %s (input '%s' of shape %s)",
                who, inSize, sample, x.name(), shape);
        return shape;
    }
}
