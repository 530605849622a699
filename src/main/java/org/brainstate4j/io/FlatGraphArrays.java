package org.brainstate4j.io;

import java.nio.ByteBuffer;
import org.brainstate4j.nn.SizeLimits;
import org.nd4j.autodiff.samediff.serde.FlatBuffersMapper;
import org.nd4j.graph.FlatArray;
import org.nd4j.graph.FlatGraph;
import org.nd4j.graph.FlatVariable;
import org.nd4j.graph.UpdaterState;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks every array stored in a SameDiff FlatBuffers graph before SameDiff reads it. SameDiff copies
 * each array with a native op that trusts the array's shape information (rank, sizes, strides): a
 * damaged one makes libnd4j read outside the buffer and kills the JVM (seen: SIGABRT in
 * {@code TransformAny<Assign>} from a single changed byte of a resealed graph.fb). Here every shape must
 * be well formed and every element it can address must lie inside the stored buffer.
 */
final class FlatGraphArrays {
    /** libnd4j's largest rank. */
    private static final int MAX_RANK = 32;

    private FlatGraphArrays() {}

    /** Null when every array of the graph is sound, else what is wrong with the first that is not. */
    static String firstProblem(byte[] graph) {
        try {
            FlatGraph g = FlatGraph.getRootAsFlatGraph(ByteBuffer.wrap(graph));
            for (int i = 0; i < g.variablesLength(); i++) {
                FlatVariable v = g.variables(i);
                FlatArray a = v == null ? null : v.ndarray();
                if (a != null) {
                    String problem = check(a);
                    if (problem != null) return "the array of variable #" + i + " " + problem;
                }
            }
            for (int i = 0; i < g.updaterStateLength(); i++) {
                UpdaterState s = g.updaterState(i);
                for (int j = 0; s != null && j < s.updaterStateValuesLength(); j++) {
                    FlatArray a = s.updaterStateValues(j);
                    String problem = a == null ? null : check(a);
                    if (problem != null) return "updater state array #" + i + "." + j + " " + problem;
                }
            }
            return null;
        } catch (RuntimeException e) {
            // FlatBuffers' accessors throw IndexOutOfBounds and the like on offsets that point outside the buffer
            return "cannot be read (" + e + ")";
        }
    }

    /** Shape information is [rank, sizes..., strides..., extras, element-wise stride, order]. */
    private static String check(FlatArray a) {
        int infoLength = a.shapeLength();
        if (infoLength < 4) return "has shape information of length " + infoLength + " (at least 4)";
        long rank = a.shape(0);
        if (rank < 0 || rank > MAX_RANK) return "has rank " + rank + " (0 to " + MAX_RANK + ")";
        if (infoLength != 2 * rank + 4) {
            return "has shape information of length " + infoLength + " for rank " + rank + " (must be " + (2 * rank + 4) + ")";
        }
        DataType type;
        try {
            type = FlatBuffersMapper.getDataTypeFromByte(a.dtype());
        } catch (RuntimeException e) {
            return "has an unknown data type (" + a.dtype() + ")";
        }
        if (type == null || type == DataType.UNKNOWN || type == DataType.UTF8 || type.width() <= 0) {
            // brainstate4j saves numeric arrays only; strings have a layout of their own that is not checked here
            return "has data type " + type + ", which brainstate4j does not store";
        }
        long elements = 1;
        long lastIndex = 0;
        for (int d = 0; d < rank; d++) {
            long size = a.shape(1 + d);
            long stride = a.shape((int) (1 + rank + d));
            if (size < 0) return "has a negative size (" + size + ") on axis " + d;
            if (stride < 0) return "has a negative stride (" + stride + ") on axis " + d;
            elements = SizeLimits.product(elements, size);
            if (size > 0) lastIndex = SizeLimits.sum(lastIndex, SizeLimits.product(size - 1, stride));
        }
        long bufferBytes = a.bufferLength();
        if (elements == 0) return null;
        long available = bufferBytes / type.width();
        if (elements > available) {
            return "declares " + elements + " elements of " + type + " but stores " + bufferBytes + " bytes";
        }
        if (lastIndex >= available) {
            return "has strides that reach element " + lastIndex + " of a buffer of " + available + " elements";
        }
        return null;
    }
}
