package org.brainstate4j.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.IndexAccumulation;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.custom.Invoke;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.BaseCompatOp;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.shape.tensorops.BaseTensorOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Assign;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shape rules for one raw SameDiff op: given concrete shapes of its inputs, the shapes of its
 * outputs, from the op's own shape function ({@code calculateOutputShape}) called on stand-in arrays,
 * or from the few rules SameDiff's executor applies itself (pass-through ops, scalar ops, legacy
 * reductions with an axis input). Which ops read input values to size their output, and which ops
 * cannot be sized at all (control flow, TensorArrays), is decided here too. It neither walks the
 * graph nor remembers answers: that per-graph bookkeeping is {@link StaticShapes}, which calls this
 * once per op and stand-in size, under its lock for that graph.
 */
final class OpShapes {
    /**
     * Ops whose shape functions read input values: op name -> index of the first such input. Those
     * inputs must be constants or variables (their real arrays are used), else the shape is unknown.
     */
    private static final Map<String, Integer> VALUE_INPUTS_FROM = new HashMap<>();

    static {
        from(0, "fill", "create", "range", "lin_space", "eye", "sequence_mask", "bincount", "confusion_matrix",
                "unique", "unique_with_counts", "listdiff", "dynamic_stitch", "non_max_suppression",
                "non_max_suppression_v3", "non_max_suppression_overlaps", "choose", "broadcast_dynamic_shape",
                "evaluate_reduction_shape", "random_bernoulli", "random_exponential", "random_gamma",
                "random_multinomial", "random_normal", "random_poisson", "randomnormal", "randomuniform",
                "random_uniform", "random_crop", "compat_sparse_to_dense", "compat_string_split",
                "split_string");
        from(1, "reshape", "pad", "mirror_pad", "tile", "broadcast_to", "slice", "strided_slice", "expand_dims",
                "squeeze", "permute", "transpose", "onehot", "resize_bilinear", "resize_nearest_neighbor",
                "resize_bicubic", "resize_area", "image_resize", "resize_images", "space_to_batch",
                "space_to_batch_nd", "batch_to_space", "batch_to_space_nd", "split_v", "top_k", "segment_max",
                "segment_min", "segment_mean", "segment_prod", "segment_sum", "dynamic_partition", "set_shape",
                "create_view", "moments", "argmax", "argmin", "argamax", "argamin", "reduce_sum", "reduce_mean",
                "reduce_max", "reduce_min", "reduce_prod", "reduce_norm1", "reduce_norm2", "reduce_sqnorm",
                "reduce_normmax", "reduce_logsumexp", "reduce_variance", "reduce_stdev", "reduce_dot");
        from(2, "gather", "scatter_nd", "histogram_fixed_width", "unsorted_segment_max", "unsorted_segment_min",
                "unsorted_segment_mean", "unsorted_segment_prod", "unsorted_segment_sum",
                "unsorted_segment_sqrt_n");
        from(3, "crop_and_resize");
    }

    private static void from(int index, String... opNames) {
        for (String n : opNames) {
            VALUE_INPUTS_FROM.put(n, index);
        }
    }

    private OpShapes() {
    }

    /** Output shapes of one op of {@code sd} given concrete input shapes, or null if they cannot be inferred. */
    static long[][] outputShapes(SameDiff sd, DifferentialFunction df, List<String> ins, long[][] inShapes) {
        // Pass-through ops (InferenceSession does not call a shape function for these either).
        if (df instanceof Identity || df instanceof Assign || df instanceof StopGradient) {
            return inShapes.length == 0 ? null : new long[][] {inShapes[0]};
        }
        int n = inShapes.length;
        SDVariable[] inVars = new SDVariable[n];
        for (int i = 0; i < n; i++) {
            inVars[i] = sd.getVariable(ins.get(i));
        }
        boolean custom = df instanceof CustomOp;
        if (custom) {
            Integer fromIdx = valueInputsFrom(df, n);
            for (int i = fromIdx == null ? n : fromIdx; i < n; i++) {
                if (!hasRealArray(inVars[i])) {
                    return null; // shape depends on values only known at run time
                }
            }
        } else if (df instanceof ScalarOp) {
            return new long[][] {inShapes[0]};
        } else if (df instanceof Op) {
            Op op = (Op) df;
            boolean reduceWithAxisInput = n == 2 && (op instanceof IndexAccumulation
                    || (op instanceof ReduceOp && ((ReduceOp) op).getOpType() != Op.Type.REDUCE3));
            if (reduceWithAxisInput) {
                return reduceWithAxisInput(op, inVars[1], inShapes[0]);
            }
        } else {
            return null;
        }

        INDArray[] args = new INDArray[n];
        List<INDArray> standIns = new ArrayList<>(n);
        OpContext oc = null;
        try {
            for (int i = 0; i < n; i++) {
                if (hasRealArray(inVars[i])) {
                    args[i] = inVars[i].getArr();
                } else {
                    args[i] = standIn(inVars[i].dataType(), inShapes[i]);
                    standIns.add(args[i]);
                }
                if (args[i] == null) {
                    return null;
                }
            }
            oc = Nd4j.getExecutioner().buildContext();
            List<LongShapeDescriptor> out;
            if (custom) {
                if (!(df instanceof DynamicCustomOp)) {
                    return null;
                }
                DynamicCustomOp op = (DynamicCustomOp) df;
                oc.setArgs(args, op.iArgs(), op.dArgs(), op.tArgs(), op.bArgs());
                out = op.calculateOutputShape(oc);
            } else {
                for (int i = 0; i < Math.min(n, 2); i++) {
                    oc.setInputArray(i, args[i]);
                }
                out = df.calculateOutputShape(oc);
            }
            if (out == null || out.isEmpty()) {
                return null;
            }
            long[][] shapes = new long[out.size()][];
            for (int i = 0; i < shapes.length; i++) {
                LongShapeDescriptor d = out.get(i);
                shapes[i] = d == null ? null : d.getShape().clone();
                if (shapes[i] != null && hasUnknown(shapes[i])) {
                    shapes[i] = null; // e.g. a VALID convolution over a too small stand-in size
                }
            }
            return shapes;
        } finally {
            release(oc, standIns);
        }
    }

    /** Best effort: what is not closed here ND4J's deallocator and the GC release. */
    private static void release(OpContext oc, List<INDArray> standIns) {
        if (oc != null) {
            try {
                oc.purge();
                oc.close();
            } catch (Exception ignored) {
                // released by ND4J's deallocator service
            }
        }
        for (INDArray a : standIns) {
            try {
                a.close();
            } catch (Exception ignored) {
                // released by GC
            }
        }
    }

    /** Legacy reduction whose axes come from a second input (InferenceSession sets them as op dimensions). */
    private static long[][] reduceWithAxisInput(Op op, SDVariable axisVar, long[] xShape) {
        if (!hasRealArray(axisVar) || !axisVar.dataType().isIntType()) {
            return null;
        }
        INDArray axisArr = axisVar.getArr();
        if (axisArr.isEmpty() || xShape.length == 0) {
            return new long[][] {xShape}; // TF semantics: reduction over no axes keeps the shape
        }
        int[] axis = Shape.normalizeAxis(xShape.length, axisArr.toIntVector());
        boolean keepDims = op instanceof ReduceOp ? ((ReduceOp) op).isKeepDims()
                : ((IndexAccumulation) op).isKeepDims();
        return new long[][] {Shape.getReducedShape(xShape, axis, keepDims)};
    }

    private static Integer valueInputsFrom(DifferentialFunction df, int numInputs) {
        String name = df.opName();
        if ("Where".equals(name) && numInputs == 1) {
            return 0; // where(condition): one row per true element
        }
        if ("concat".equals(name) && ((DynamicCustomOp) df).iArgs().length == 0 && numInputs > 0) {
            return numInputs - 1; // axis given as last input
        }
        if ("split".equals(name) && numInputs > 1) {
            return 0; // axis / number of splits given as input
        }
        return VALUE_INPUTS_FROM.get(name);
    }

    /** Ops whose outputs cannot be sized before the graph runs: control flow, TensorArrays, {@code invoke}. */
    static boolean isUnsupported(DifferentialFunction df) {
        return (df instanceof BaseCompatOp && !(df instanceof StopGradient))
                || df instanceof BaseTensorOp || df instanceof Invoke;
    }

    private static boolean hasRealArray(SDVariable v) {
        VariableType t = v.getVariableType();
        return (t == VariableType.VARIABLE || t == VariableType.CONSTANT) && v.getArr() != null;
    }

    private static INDArray standIn(DataType dt, long[] shape) {
        if (dt == null || dt == DataType.UNKNOWN || dt == DataType.UTF8 || dt == DataType.COMPRESSED) {
            return null;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            boolean empty = Arrays.stream(shape).anyMatch(d -> d == 0);
            return empty ? Nd4j.create(dt, shape) : Nd4j.createUninitialized(dt, shape); // empty: no buffer
        }
    }

    /** Whether some dimension is unknown ({@code -1}). */
    static boolean hasUnknown(long[] shape) {
        return Arrays.stream(shape).anyMatch(d -> d < 0);
    }
}
