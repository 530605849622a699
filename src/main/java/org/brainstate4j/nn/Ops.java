package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.brainstate4j.graph.StaticShapes;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * SameDiff ops with the shape checks a composed model needs, so a mistake is reported while the
 * graph is built (with the names and shapes involved) instead of by libnd4j when it runs.
 */
public final class Ops {
    private Ops() {}

    /** {@code sd.concat(axis, inputs)} after checking ranks, data types and every non-concatenated axis. */
    public static SDVariable concat(SameDiff sd, int axis, SDVariable... inputs) {
        String where = sd.currentNameScope() == null ? "concat" : "concat in '" + sd.currentNameScope() + "'";
        checkArgument(inputs != null && inputs.length > 0, "%s: needs at least one input", where);
        List<long[]> shapes = new ArrayList<>();
        for (SDVariable v : inputs) {
            Optional<long[]> s = StaticShapes.of(v);
            checkArgument(s.isPresent(), "%s: the shape of input '%s' cannot be determined before the graph runs",
                    where, v.name());
            shapes.add(s.get());
        }
        long[] first = shapes.get(0);
        int rank = first.length;
        checkArgument(axis >= -rank && axis < rank, "%s: axis (=%s) is out of range for rank %s", where, axis, rank);
        int a = axis < 0 ? axis + rank : axis;
        long concatenated = 0;
        for (int i = 0; i < inputs.length; i++) {
            long[] s = shapes.get(i);
            checkArgument(inputs[i].dataType() == inputs[0].dataType(),
                    "%s: input '%s' is %s but '%s' is %s", where, inputs[i].name(), inputs[i].dataType(),
                    inputs[0].name(), inputs[0].dataType());
            boolean compatible = s.length == rank;
            for (int d = 0; compatible && d < rank; d++) {
                compatible = d == a || s[d] == first[d] || (d == 0 && (s[d] < 0 || first[d] < 0));
            }
            checkArgument(compatible,
                    "%s: inputs must have equal shapes except on axis %s: '%s' has shape %s but '%s' has shape %s",
                    where, axis, inputs[0].name(), first, inputs[i].name(), s);
            concatenated = concatenated < 0 || s[a] < 0 ? -1 : concatenated + s[a];
        }
        SDVariable y = sd.concat(a, inputs);
        long[] out = first.clone();
        out[a] = concatenated;
        StaticShapes.record(y, out);
        return y;
    }
}
