package org.brainstate4j.graph;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.imports.VariableUtils;
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
 * Static (graph-construction-time) shape inference for SameDiff variables.
 *
 * <p>In SameDiff 1.0.0-M2.1 {@link SDVariable#getShape()} only answers for placeholders, variables and
 * constants; for op outputs ({@link VariableType#ARRAY}) it returns {@code null} (canary:
 * {@code workarounds.Dl4jM21CanaryTest}, test sources). This class fills that
 * gap the way SameDiff's own executor ({@code InferenceSession.getAndParameterizeOp}) sizes its output
 * arrays: it walks back from the requested variable to variables whose shapes are known, and for each op
 * on the way calls the op's shape function ({@code calculateOutputShape(OpContext)}) with stand-in input
 * arrays. Variables and constants contribute their real arrays; placeholders and intermediate results
 * contribute arrays of the inferred shape created with {@code Nd4j.createUninitialized} (no data is
 * written, and they are closed straight afterwards). No op kernel is executed and nothing is printed by
 * this class.
 *
 * <p><b>Unknown dimensions.</b> A placeholder's {@code -1} dimensions are replaced by a stand-in size and
 * the graph is inferred twice with two different stand-ins (2 and 3; if that fails and some placeholder has an
 * unknown dimension other than its first, e.g. because a VALID convolution needs a larger unknown spatial
 * size, 32 and 48). Output dimensions that differ between the
 * two runs are reported as {@code -1}. All {@code -1} dimensions of all placeholders get the same
 * stand-in in a run, so graphs that require equal unknown sizes (e.g. {@code x + y} of two
 * {@code [-1, n]} placeholders) infer fine. A dimension that depends on an unknown size but happens to
 * come out equal for both stand-ins (e.g. {@code floor(batch / 8)}) would be reported as that fixed
 * number; ordinary layers (convolution, pooling, reshape to {@code -1}, concat, ...) are not affected.
 *
 * <p><b>Limitations.</b>
 * <ul>
 *   <li>Ops whose output <em>shape</em> depends on input <em>values</em> computed at run time cannot be
 *   inferred from stand-ins: {@code reshape} with a computed shape tensor, {@code pad} with computed
 *   paddings, {@code tile}, {@code slice}/{@code strided_slice} with computed begin/end,
 *   {@code where(condition)}, {@code unique}, {@code dynamic_partition}, {@code range},
 *   {@code sequence_mask}, ... For a known list of such ops the value-carrying inputs must be constants
 *   or variables (whose real arrays are used, so that case is exact); otherwise the answer is empty.
 *   An op that reads input values in its shape function and is <em>not</em> on that list would see
 *   uninitialized stand-in data and could produce a wrong shape.</li>
 *   <li>Control flow (Switch/Merge/Enter/Exit/NextIteration/LoopCond as used by {@code ifCond} and
 *   {@code whileLoop}), {@code invoke} and TensorArray ops are not inferred: the answer is empty.</li>
 *   <li>If a native (libnd4j) shape function rejects its inputs (e.g. mismatched matmul shapes, i.e. the
 *   graph is already invalid), the answer is empty. In that case libnd4j prints its reason to the native
 *   stdout and ND4J's {@code NativeOpExecutioner} logs one ERROR line through SLF4J; neither can be
 *   suppressed from here. Valid graphs and the data-dependent/control-flow cases above produce no
 *   output.</li>
 *   <li>Results are cached per graph and per variable, on the assumption that the shape of an existing
 *   variable does not change. If you change a placeholder's shape or replace a variable's array with one
 *   of a different shape after asking, call {@link #forget(SameDiff)}. Cached entries of op outputs are
 *   tied to the producing op object, so renamed or re-created variables are re-inferred.</li>
 *   <li>Stand-in arrays are really allocated (though never written): shapes of several GiB at the
 *   stand-in batch size can fail to allocate, and then the answer is empty.</li>
 * </ul>
 *
 * <p>All methods are thread-safe (they synchronize on one global lock).
 */
public final class StaticShapes {

    /** Stand-in sizes for unknown (-1) placeholder dimensions, tried in pairs: (2, 3), then (32, 48). */
    private static final long[] PROBES = {2, 3, 32, 48};

    /** Probe key under which probe-independent results are stored. */
    private static final long INDEPENDENT = 0L;

    /** Sentinel for "inference failed" (compared by identity; never handed out). */
    private static final long[] FAILED = new long[0];

    /**
     * Ops whose shape functions read input VALUES: op name -> index of the first value-carrying input.
     * All inputs at that index or later must be constants/variables (whose real arrays are used).
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

    private static final Object LOCK = new Object();
    private static final ReferenceQueue<SameDiff> QUEUE = new ReferenceQueue<>();
    private static final Map<GraphKey, Map<String, Entry>> GRAPHS = new HashMap<>();

    private StaticShapes() {
    }

    /**
     * Static shape of {@code v}. Dimensions that depend on a placeholder's unknown ({@code -1}) dimensions
     * are {@code -1}. Empty when it cannot be determined without executing the graph (see the class
     * documentation for the cases). Never runs op kernels, never prints, never throws.
     *
     * @param v a variable of any type (placeholder, variable, constant or op output); {@code null} gives empty
     * @return a fresh copy of the shape, or empty
     */
    public static Optional<long[]> of(SDVariable v) {
        if (v == null) {
            return Optional.empty();
        }
        try {
            SameDiff sd = v.getSameDiff();
            if (sd == null) {
                return Optional.empty();
            }
            synchronized (LOCK) {
                long[] s = new Walk(sd, graph(sd, true)).finalShape(v.name());
                return s == null ? Optional.empty() : Optional.of(s.clone());
            }
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            return Optional.empty();
        }
    }

    /**
     * Records a known shape for {@code v} (layers record their outputs so later look-ups are free). The
     * recorded shape overrides inference for {@code v} itself and is used as the starting point for
     * everything downstream of it; {@code -1} marks dimensions that depend on unknown placeholder
     * dimensions (typically the batch). If a different shape had already been handed out or used for
     * {@code v}, cached results derived from it are dropped.
     *
     * @param v     the variable
     * @param shape its shape; every dimension {@code >= -1}
     * @throws IllegalArgumentException if {@code v} or {@code shape} is null, {@code v} belongs to no graph,
     *                                  or a dimension is below {@code -1}
     */
    public static void record(SDVariable v, long[] shape) {
        if (v == null || shape == null) {
            throw new IllegalArgumentException("record: variable and shape must not be null");
        }
        for (long d : shape) {
            if (d < -1) {
                throw new IllegalArgumentException("record: invalid dimension " + d + " in " + Arrays.toString(shape)
                        + " for variable \"" + v.name() + "\" (dimensions must be >= -1)");
            }
        }
        SameDiff sd = v.getSameDiff();
        if (sd == null) {
            throw new IllegalArgumentException("record: variable \"" + v.name() + "\" belongs to no SameDiff graph");
        }
        long[] copy = shape.clone();
        synchronized (LOCK) {
            Map<String, Entry> entries = graph(sd, true);
            Walk walk = new Walk(sd, entries);
            String name = v.name();
            Entry existing = walk.validEntry(name);
            boolean mayHaveBeenUsed = existing != null || v.getVariableType() != VariableType.ARRAY;
            if (mayHaveBeenUsed) {
                long[] before = existing != null && existing.recorded != null ? existing.recorded
                        : existing != null && existing.resultKnown ? existing.result
                        : existing == null ? walk.leafShape(v) : null;
                if (!Arrays.equals(before, copy)) {
                    entries.values().removeIf(e -> e.recorded == null);
                }
            }
            Entry e = new Entry(v.getVariableType() == VariableType.ARRAY ? walk.producingOp(name) : null);
            e.recorded = copy;
            entries.put(name, e);
        }
    }

    /**
     * Drops everything cached for {@code sd}, including recorded shapes. Only needed if shapes of existing
     * variables were changed after they were looked up (e.g. a placeholder's shape was reset).
     */
    public static void forget(SameDiff sd) {
        if (sd == null) {
            return;
        }
        synchronized (LOCK) {
            expunge();
            GRAPHS.remove(new GraphKey(sd, null));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // cache plumbing

    private static Map<String, Entry> graph(SameDiff sd, boolean create) {
        expunge();
        GraphKey lookup = new GraphKey(sd, null);
        Map<String, Entry> m = GRAPHS.get(lookup);
        if (m == null && create) {
            m = new HashMap<>();
            GRAPHS.put(new GraphKey(sd, QUEUE), m);
        }
        return m;
    }

    private static void expunge() {
        Reference<? extends SameDiff> r;
        while ((r = QUEUE.poll()) != null) {
            GRAPHS.remove(r);
        }
    }

    /** Weak, identity-based key: SameDiff's own equals/hashCode are content-based and change as the graph grows. */
    private static final class GraphKey extends WeakReference<SameDiff> {
        private final int hash;

        GraphKey(SameDiff sd, ReferenceQueue<SameDiff> q) {
            super(sd, q);
            this.hash = System.identityHashCode(sd);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof GraphKey)) {
                return false;
            }
            SameDiff mine = get();
            return mine != null && mine == ((GraphKey) o).get();
        }
    }

    /** What is known about one variable of one graph. */
    private static final class Entry {
        /** Producing op (for op outputs); the entry is stale if the variable's producing op is another object. */
        final WeakReference<DifferentialFunction> owner;
        /** Shape recorded with {@link #record}, or null. */
        long[] recorded;
        /** Whether the shape depends on the stand-in used for unknown placeholder dims; null = not yet known. */
        Boolean dependent;
        /** Concrete shape (or FAILED) per stand-in size, or under INDEPENDENT. */
        final Map<Long, long[]> concrete = new HashMap<>(4);
        boolean resultKnown;
        long[] result;

        Entry(DifferentialFunction owner) {
            this.owner = owner == null ? null : new WeakReference<>(owner);
        }

        long[] get(long probe) {
            if (dependent == null) {
                return null;
            }
            return concrete.get(dependent ? probe : INDEPENDENT);
        }

        void put(long probe, boolean dep, long[] shape) {
            if (dependent == null) {
                dependent = dep;
            }
            concrete.put(dependent ? probe : INDEPENDENT, shape);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // inference

    private static final class Walk {
        private final SameDiff sd;
        private final Map<String, Entry> entries;

        Walk(SameDiff sd, Map<String, Entry> entries) {
            this.sd = sd;
            this.entries = entries;
        }

        /** Final answer for a variable (with -1 for probe-dependent dims), or null when unknown. */
        long[] finalShape(String name) {
            SDVariable v = sd.getVariable(name);
            if (v == null) {
                return null;
            }
            name = v.name();
            Entry e = validEntry(name);
            if (e != null && e.recorded != null) {
                return e.recorded;
            }
            if (v.getVariableType() != VariableType.ARRAY) {
                return leafShape(v);
            }
            if (e != null && e.resultKnown) {
                return e.result;
            }
            long[] result = null;
            for (int p = 0; p + 1 < PROBES.length; p += 2) {
                if (p > 0 && !hasNonLeadingUnknown()) {
                    break; // larger stand-ins only help unknown spatial/sequence dims, not an unknown batch
                }
                long[] a = resolve(name, PROBES[p]);
                Entry now = validEntry(name);
                boolean dep = now != null && Boolean.TRUE.equals(now.dependent);
                if (a == FAILED) {
                    if (dep) {
                        continue;
                    }
                    break;
                }
                if (!dep) {
                    result = a;
                    break;
                }
                long[] b = resolve(name, PROBES[p + 1]);
                if (b == FAILED) {
                    continue;
                }
                if (a.length != b.length) {
                    break; // rank depends on the unknown dimensions
                }
                result = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    result[i] = a[i] == b[i] ? a[i] : -1;
                }
                break;
            }
            Entry now = validEntry(name);
            if (now != null) {
                now.resultKnown = true;
                now.result = result;
            }
            return result;
        }

        /** Whether any placeholder (or recorded shape) of the graph has an unknown dimension after the first. */
        private boolean hasNonLeadingUnknown() {
            for (Variable var : sd.getVariables().values()) {
                SDVariable v = var.getVariable();
                if (v != null && v.getVariableType() == VariableType.PLACEHOLDER) {
                    long[] s = v.getShape();
                    if (s != null && s.length > 1 && hasUnknown(Arrays.copyOfRange(s, 1, s.length))) {
                        return true;
                    }
                }
            }
            for (Entry e : entries.values()) {
                long[] s = e.recorded;
                if (s != null && s.length > 1 && hasUnknown(Arrays.copyOfRange(s, 1, s.length))) {
                    return true;
                }
            }
            return false;
        }

        /** Natural shape of a placeholder/variable/constant (null if unknown), null for op outputs. */
        long[] leafShape(SDVariable v) {
            switch (v.getVariableType()) {
                case VARIABLE:
                case CONSTANT: {
                    INDArray arr = v.getArr();
                    return arr == null ? null : arr.shape();
                }
                case PLACEHOLDER: {
                    long[] s = v.getShape();
                    return s == null ? null : s.clone();
                }
                default:
                    return null;
            }
        }

        SameDiffOp producingSdOp(String name) {
            Variable meta = sd.getVariables().get(name);
            if (meta == null || meta.getOutputOfOp() == null) {
                return null;
            }
            SameDiffOp op = sd.getOps().get(meta.getOutputOfOp());
            if (op == null) {
                op = sd.getOps().get(VariableUtils.stripVarSuffix(meta.getOutputOfOp()));
            }
            return op;
        }

        DifferentialFunction producingOp(String name) {
            SameDiffOp op = producingSdOp(name);
            return op == null ? null : op.getOp();
        }

        /** The cached entry for a canonical name if still valid (same producing op), else null (and dropped). */
        Entry validEntry(String name) {
            Entry e = entries.get(name);
            if (e == null) {
                return null;
            }
            if (e.owner != null) {
                DifferentialFunction op = e.owner.get();
                if (op == null || op != producingOp(name)) {
                    entries.remove(name);
                    return null;
                }
            }
            return e;
        }

        private Entry entryFor(String name, DifferentialFunction op) {
            Entry e = validEntry(name);
            if (e == null) {
                e = new Entry(op);
                entries.put(name, e);
            }
            return e;
        }

        /**
         * Concrete shape of a variable for one stand-in size, FAILED if it cannot be inferred, or null if it
         * is an op output whose op has not been evaluated for this stand-in yet.
         */
        long[] lookup(String name, long probe) {
            SDVariable v = sd.getVariable(name);
            if (v == null) {
                return FAILED;
            }
            Entry e = validEntry(v.name());
            if (e != null && e.recorded != null) {
                return substitute(e.recorded, probe);
            }
            switch (v.getVariableType()) {
                case VARIABLE:
                case CONSTANT:
                case PLACEHOLDER: {
                    long[] s = leafShape(v);
                    return s == null ? FAILED : substitute(s, probe);
                }
                case ARRAY:
                    return e == null ? null : e.get(probe);
                default:
                    return FAILED;
            }
        }

        /** Whether a resolved variable's concrete shape depends on the stand-in size. */
        boolean dependent(String name) {
            SDVariable v = sd.getVariable(name);
            if (v == null) {
                return false;
            }
            Entry e = validEntry(v.name());
            if (e != null && e.recorded != null) {
                return hasUnknown(e.recorded);
            }
            if (v.getVariableType() == VariableType.ARRAY) {
                return e != null && Boolean.TRUE.equals(e.dependent);
            }
            long[] s = leafShape(v);
            return s != null && hasUnknown(s);
        }

        /** Iterative, memoised depth-first evaluation of everything {@code target} needs for one stand-in size. */
        long[] resolve(String target, long probe) {
            long[] r = lookup(target, probe);
            if (r != null) {
                return r;
            }
            Deque<String> stack = new ArrayDeque<>();
            Set<String> expanded = new HashSet<>();
            stack.push(target);
            while (!stack.isEmpty()) {
                String n = stack.peek();
                if (lookup(n, probe) != null) {
                    stack.pop();
                    continue;
                }
                SameDiffOp sdo = producingSdOp(n);
                if (sdo == null || sdo.getOp() == null || isUnsupported(sdo.getOp())) {
                    entryFor(n, sdo == null ? null : sdo.getOp()).put(probe, false, FAILED);
                    stack.pop();
                    continue;
                }
                List<String> ins = inputs(sdo);
                boolean pushed = false;
                boolean cycle = false;
                for (String in : ins) {
                    if (lookup(in, probe) == null) {
                        String c = sd.getVariable(in).name();
                        if (expanded.contains(c)) {
                            cycle = true;
                        } else {
                            stack.push(c);
                            pushed = true;
                        }
                    }
                }
                if (cycle) {
                    storeAll(sdo, n, probe, false, null);
                    stack.pop();
                    continue;
                }
                if (pushed) {
                    expanded.add(n);
                    continue;
                }
                stack.pop();
                expanded.remove(n);
                evaluate(sdo, n, probe);
            }
            r = lookup(target, probe);
            return r == null ? FAILED : r;
        }

        private static List<String> inputs(SameDiffOp sdo) {
            List<String> ins = sdo.getInputsToOp();
            return ins == null ? Collections.emptyList() : ins;
        }

        /** Stores shapes (or FAILED when shapes is null) for all outputs of an op. */
        private void storeAll(SameDiffOp sdo, String requested, long probe, boolean dep, long[][] shapes) {
            List<String> outs = sdo.getOutputsOfOp();
            if (outs == null || outs.isEmpty() || shapes == null || shapes.length != outs.size()) {
                if (outs != null) {
                    for (String o : outs) {
                        entryFor(o, sdo.getOp()).put(probe, dep, FAILED);
                    }
                }
                entryFor(requested, sdo.getOp()).put(probe, dep, FAILED);
                return;
            }
            for (int i = 0; i < outs.size(); i++) {
                entryFor(outs.get(i), sdo.getOp()).put(probe, dep, shapes[i] == null ? FAILED : shapes[i]);
            }
            if (validEntry(requested) == null || validEntry(requested).get(probe) == null) {
                entryFor(requested, sdo.getOp()).put(probe, dep, FAILED);
            }
        }

        private void evaluate(SameDiffOp sdo, String requested, long probe) {
            List<String> ins = inputs(sdo);
            long[][] inShapes = new long[ins.size()][];
            boolean dep = false;
            boolean failed = false;
            for (int i = 0; i < inShapes.length; i++) {
                inShapes[i] = lookup(ins.get(i), probe);
                dep |= dependent(ins.get(i));
                if (inShapes[i] == null || inShapes[i] == FAILED) {
                    failed = true;
                }
            }
            long[][] outShapes = null;
            if (!failed) {
                try {
                    outShapes = outputShapes(sdo.getOp(), ins, inShapes);
                } catch (Exception | LinkageError | OutOfMemoryError ex) {
                    outShapes = null;
                }
            }
            storeAll(sdo, requested, probe, dep, outShapes);
        }

        /** Output shapes of one op given concrete input shapes, or null if they cannot be inferred. */
        private long[][] outputShapes(DifferentialFunction df, List<String> ins, long[][] inShapes) {
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
                if (fromIdx != null) {
                    for (int i = fromIdx; i < n; i++) {
                        if (!hasRealArray(inVars[i])) {
                            return null; // shape depends on values only known at run time
                        }
                    }
                }
            } else if (df instanceof Op) {
                Op op = (Op) df;
                if (op instanceof ScalarOp) {
                    return new long[][] {inShapes[0]};
                }
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
                    if (n > 0) {
                        oc.setInputArray(0, args[0]);
                        if (n == 2) {
                            oc.setInputArray(1, args[1]);
                        }
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
                if (oc != null) {
                    try {
                        oc.purge();
                        oc.close();
                    } catch (Exception ignored) {
                        // best effort: the native context is also released by ND4J's deallocator service
                    }
                }
                for (INDArray a : standIns) {
                    try {
                        a.close();
                    } catch (Exception ignored) {
                        // best effort: released by GC otherwise
                    }
                }
            }
        }

        /** Legacy reduction whose axes come from a second input (InferenceSession sets them as op dimensions). */
        private static long[][] reduceWithAxisInput(Op op, SDVariable axisVar, long[] xShape) {
            if (!hasRealArray(axisVar) || !axisVar.dataType().isIntType()) {
                return null;
            }
            INDArray axisArr = axisVar.getArr();
            if (axisArr.isEmpty()) {
                return new long[][] {xShape}; // TF semantics: reduction over no axes keeps the shape
            }
            if (xShape.length == 0) {
                return new long[][] {xShape};
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

        private static boolean isUnsupported(DifferentialFunction df) {
            return (df instanceof BaseCompatOp && !(df instanceof StopGradient))
                    || df instanceof BaseTensorOp || df instanceof Invoke;
        }
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
            for (long d : shape) {
                if (d == 0) {
                    return Nd4j.create(dt, shape); // empty array: no buffer
                }
            }
            return Nd4j.createUninitialized(dt, shape);
        }
    }

    private static boolean hasUnknown(long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                return true;
            }
        }
        return false;
    }

    private static long[] substitute(long[] shape, long probe) {
        if (!hasUnknown(shape)) {
            return shape;
        }
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = probe;
            }
        }
        return s;
    }
}
