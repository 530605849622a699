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
     * The static shape of {@code x} after checking its data type, that its rank is that of
     * {@code inSize} with or without a leading batch axis, and that its per-sample shape equals
     * {@code inSize} exactly (convolutions).
     */
    static long[] requireShape(Module layer, SDVariable x, long[] inSize, DataType dataType) {
        long[] shape = staticShape(layer, x, dataType);
        String who = Module.describe(layer, x.getSameDiff());
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

    /** As {@link #requireShape}, but the batch axis is required (layers whose statistics span the batch axis). */
    static long[] requireBatched(Module layer, SDVariable x, long[] inSize, DataType dataType) {
        long[] shape = staticShape(layer, x, dataType);
        String who = Module.describe(layer, x.getSameDiff());
        checkArgument(shape.length == inSize.length + 1,
                "%s: expected a %s-D batched input (batch, %s), got a %s-D input '%s' of shape %s",
                who, inSize.length + 1, Arrays.toString(inSize).replaceAll("[\\[\\]]", ""), shape.length,
                x.name(), shape);
        long[] sample = Arrays.copyOfRange(shape, 1, shape.length);
        checkArgument(Arrays.equals(sample, inSize),
                "%s: expected per-sample input shape %s (inSize), got %s (input '%s' of shape %s)",
                who, inSize, sample, x.name(), shape);
        return shape;
    }

    /** The input's trailing axes must equal {@code inSize}; any leading axes are kept (dense layers). */
    static long[] requireTrailing(Module layer, SDVariable x, long[] inSize, DataType dataType) {
        long[] shape = staticShape(layer, x, dataType);
        String who = Module.describe(layer, x.getSameDiff());
        boolean matches = shape.length >= inSize.length
                && Arrays.equals(Arrays.copyOfRange(shape, shape.length - inSize.length, shape.length), inSize);
        checkArgument(matches, "%s: expected an input whose last axes are %s (inSize), got '%s' of shape %s",
                who, inSize, x.name(), shape);
        return shape;
    }

    private static long[] staticShape(Module layer, SDVariable x, DataType dataType) {
        String who = Module.describe(layer, x.getSameDiff());
        boolean floating = x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE;
        checkArgument(x.dataType() == dataType,
                "%s: input '%s' has data type %s but the layer computes in %s; %s",
                who, x.name(), x.dataType(), dataType, floating
                        ? "build the layer with dataType(" + x.dataType() + ") or cast the input"
                        : "cast the input to " + dataType + " (layers compute in FLOAT or DOUBLE only)");
        Optional<long[]> known = StaticShapes.of(x);
        checkArgument(known.isPresent(),
                "%s: the shape of input '%s' cannot be determined before the graph runs; "
                        + "declare it with StaticShapes.record(x, shape)", who, x.name());
        return known.get();
    }
}
