package org.brainstate4j.graph;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Arrays;
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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape of a SameDiff variable while the graph is built, before anything runs: what layers check
 * their input against ({@code nn.InputChecks}, {@code nn.Ops.concat}), what {@code nn.Summary} prints
 * and what the ONNX export declares. SameDiff 1.0.0-M2.1's {@link SDVariable#getShape()} answers only
 * for placeholders, variables and constants and is null for op outputs (canary:
 * {@code workarounds.Dl4jM21CanaryTest}, test sources).
 *
 * <p>Every brainstate4j layer {@link #record records} its output's shape. For other op outputs (the
 * activations, pooling, reshapes and arithmetic between layers) {@link #of} walks back to variables
 * whose shapes are known and calls each op's own shape function ({@code calculateOutputShape}) on
 * stand-in arrays, as SameDiff's executor does to size its outputs: allocated uninitialized, never
 * written, closed straight away; no op kernel runs. A placeholder's {@code -1} dimensions take a
 * stand-in size, twice (2 and 3; then 32 and 48 when that fails and some dimension other than the
 * first is unknown, as a VALID convolution over an unknown size needs); output dimensions that differ
 * between the two are {@code -1}.
 *
 * <p>The answer is empty, never wrong, where the shape is only known at run time: ops whose output
 * shape depends on input values (a reshape to a computed shape, {@code where}, {@code tile} with
 * computed repeats, ...) unless those inputs are constants or variables, control flow, TensorArrays,
 * and a graph that is already invalid (then libnd4j prints its reason on the native stdout).
 * Answers are cached per graph; recording a shape drops the cached ones. Thread-safe.
 *
 * <p>This class keeps that per-graph bookkeeping (the walk back through the graph, the cache, the
 * lock); the shape rules for a single op, stand-in arrays included, are in {@code OpShapes}.
 */
public final class StaticShapes {

    /** Pairs of stand-in sizes for unknown (-1) placeholder dimensions. */
    private static final long[][] STAND_INS = {{2, 3}, {32, 48}};

    /** "Cannot be inferred" (compared by identity; never handed out). */
    private static final long[] FAILED = new long[0];

    /** Per graph: what is known of its variables, by name. Access under the map's own lock. */
    private static final PerGraph<Map<String, Known>> GRAPHS = new PerGraph<>();

    private StaticShapes() {
    }

    /**
     * Static shape of {@code v}, {@code -1} where it depends on a placeholder's unknown dimensions
     * (typically the batch). Empty when it cannot be known before the graph runs (see the class
     * documentation). Never runs op kernels, never prints, never throws.
     *
     * @param v a variable of any type (placeholder, variable, constant or op output); {@code null} gives empty
     * @return a fresh copy of the shape, or empty
     */
    public static Optional<long[]> of(SDVariable v) {
        if (v == null || v.getSameDiff() == null) {
            return Optional.empty();
        }
        try {
            Map<String, Known> known = GRAPHS.computeIfAbsent(v.getSameDiff(), HashMap::new);
            synchronized (known) {
                long[] s = new Walk(v.getSameDiff(), known).answer(v.name());
                return s == null ? Optional.empty() : Optional.of(s.clone());
            }
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            return Optional.empty();
        }
    }

    /**
     * Records the shape of {@code v}: layers record their outputs, and a caller can declare a shape
     * that cannot be inferred. It is the answer for {@code v} from then on and the starting point for
     * everything downstream; {@code -1} marks dimensions that depend on unknown placeholder dimensions.
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
        Map<String, Known> known = GRAPHS.computeIfAbsent(sd, HashMap::new);
        synchronized (known) {
            known.values().removeIf(k -> k.recorded == null); // inferred answers may rest on the old shape
            Known k = new Known(v.getVariableType() == VariableType.ARRAY ? new Walk(sd, known).producingOp(v.name()) : null);
            k.recorded = shape.clone();
            known.put(v.name(), k);
        }
    }

    /** What is known of one variable; tied to its producing op, so a renamed or re-created variable is not confused with it. */
    private static final class Known {
        final WeakReference<DifferentialFunction> producer; // null for placeholders, variables, constants
        long[] recorded;
        /** Concrete shape (or FAILED) per stand-in size. */
        final Map<Long, long[]> perStandIn = new HashMap<>(4);
        boolean answered;
        long[] answer;

        Known(DifferentialFunction producer) {
            this.producer = producer == null ? null : new WeakReference<>(producer);
        }
    }

    /** One look-up in one graph. */
    private static final class Walk {
        private final SameDiff sd;
        private final Map<String, Known> known;

        Walk(SameDiff sd, Map<String, Known> known) {
            this.sd = sd;
            this.known = known;
        }

        /** The answer for a variable (-1 for dimensions that follow the stand-in size), or null when unknown. */
        long[] answer(String name) {
            SDVariable v = sd.getVariable(name);
            if (v == null) {
                return null;
            }
            name = v.name();
            Known k = valid(name);
            if (k != null && k.recorded != null) {
                return k.recorded;
            }
            if (v.getVariableType() != VariableType.ARRAY) {
                return leafShape(v);
            }
            if (k != null && k.answered) {
                return k.answer;
            }
            long[] result = null;
            for (int p = 0; p < STAND_INS.length; p++) {
                if (p > 0 && !hasNonLeadingUnknown()) {
                    break; // larger stand-ins only help unknown spatial/sequence dims, not an unknown batch
                }
                long[] a = resolve(name, STAND_INS[p][0]);
                long[] b = a == FAILED ? FAILED : resolve(name, STAND_INS[p][1]);
                if (a == FAILED || b == FAILED) {
                    continue;
                }
                if (a.length == b.length) { // else the rank depends on the unknown dimensions
                    result = new long[a.length];
                    for (int i = 0; i < a.length; i++) {
                        result[i] = a[i] == b[i] ? a[i] : -1;
                    }
                }
                break;
            }
            Known now = entryFor(name, producingOp(name));
            now.answered = true;
            now.answer = result;
            return result;
        }

        /** Whether any placeholder (or recorded shape) of the graph has an unknown dimension after the first. */
        private boolean hasNonLeadingUnknown() {
            for (Variable var : sd.getVariables().values()) {
                SDVariable v = var.getVariable();
                if (v != null && v.getVariableType() == VariableType.PLACEHOLDER && hasNonLeadingUnknown(v.getShape())) {
                    return true;
                }
            }
            return known.values().stream().anyMatch(k -> hasNonLeadingUnknown(k.recorded));
        }

        private static boolean hasNonLeadingUnknown(long[] shape) {
            return shape != null && shape.length > 1 && OpShapes.hasUnknown(Arrays.copyOfRange(shape, 1, shape.length));
        }

        /** Shape of a placeholder/variable/constant (null if unknown), null for op outputs. */
        private static long[] leafShape(SDVariable v) {
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

        private SameDiffOp producingSdOp(String name) {
            Variable meta = sd.getVariables().get(name);
            if (meta == null || meta.getOutputOfOp() == null) {
                return null;
            }
            SameDiffOp op = sd.getOps().get(meta.getOutputOfOp());
            return op != null ? op : sd.getOps().get(VariableUtils.stripVarSuffix(meta.getOutputOfOp()));
        }

        DifferentialFunction producingOp(String name) {
            SameDiffOp op = producingSdOp(name);
            return op == null ? null : op.getOp();
        }

        /** The entry for a canonical name if it still belongs to the same producing op, else null (and dropped). */
        private Known valid(String name) {
            Known k = known.get(name);
            if (k != null && k.producer != null && k.producer.get() != producingOp(name)) {
                known.remove(name);
                return null;
            }
            return k;
        }

        private Known entryFor(String name, DifferentialFunction op) {
            Known k = valid(name);
            if (k == null) {
                k = new Known(op);
                known.put(name, k);
            }
            return k;
        }

        /**
         * Concrete shape of a variable for one stand-in size, FAILED if it cannot be inferred, or null if it
         * is an op output whose op has not been evaluated for this stand-in yet.
         */
        private long[] lookup(String name, long standIn) {
            SDVariable v = sd.getVariable(name);
            if (v == null) {
                return FAILED;
            }
            Known k = valid(v.name());
            if (k != null && k.recorded != null) {
                return substitute(k.recorded, standIn);
            }
            if (v.getVariableType() == VariableType.ARRAY) {
                return k == null ? null : k.perStandIn.get(standIn);
            }
            long[] s = leafShape(v);
            return s == null ? FAILED : substitute(s, standIn);
        }

        /** Iterative (no recursion, for long chains), memoised depth-first evaluation of what {@code target} needs. */
        private long[] resolve(String target, long standIn) {
            Deque<String> stack = new ArrayDeque<>();
            Set<String> expanded = new HashSet<>();
            stack.push(target);
            while (!stack.isEmpty()) {
                String n = stack.peek();
                if (lookup(n, standIn) != null) {
                    stack.pop();
                    continue;
                }
                SameDiffOp sdo = producingSdOp(n);
                if (sdo == null || sdo.getOp() == null || OpShapes.isUnsupported(sdo.getOp())) {
                    entryFor(n, sdo == null ? null : sdo.getOp()).perStandIn.put(standIn, FAILED);
                    stack.pop();
                    continue;
                }
                boolean pushed = false;
                boolean cycle = false;
                for (String in : inputs(sdo)) {
                    if (lookup(in, standIn) == null) {
                        String c = sd.getVariable(in).name();
                        cycle |= expanded.contains(c);
                        if (!expanded.contains(c)) {
                            stack.push(c);
                            pushed = true;
                        }
                    }
                }
                if (cycle) {
                    store(sdo, n, standIn, null);
                    stack.pop();
                } else if (pushed) {
                    expanded.add(n);
                } else {
                    stack.pop();
                    expanded.remove(n);
                    store(sdo, n, standIn, outputShapes(sdo, standIn));
                }
            }
            long[] r = lookup(target, standIn);
            return r == null ? FAILED : r;
        }

        private static List<String> inputs(SameDiffOp sdo) {
            List<String> ins = sdo.getInputsToOp();
            return ins == null ? List.of() : ins;
        }

        /** Stores the shapes of all outputs of an op (FAILED for each when {@code shapes} is null or does not fit). */
        private void store(SameDiffOp sdo, String requested, long standIn, long[][] shapes) {
            List<String> outs = sdo.getOutputsOfOp() == null ? List.of() : sdo.getOutputsOfOp();
            boolean fits = shapes != null && shapes.length == outs.size();
            for (int i = 0; i < outs.size(); i++) {
                long[] s = fits && shapes[i] != null ? shapes[i] : FAILED;
                entryFor(outs.get(i), sdo.getOp()).perStandIn.put(standIn, s);
            }
            entryFor(requested, sdo.getOp()).perStandIn.putIfAbsent(standIn, FAILED);
        }

        /** Output shapes of one op whose inputs are all resolved for this stand-in size, or null. */
        private long[][] outputShapes(SameDiffOp sdo, long standIn) {
            List<String> ins = inputs(sdo);
            long[][] inShapes = new long[ins.size()][];
            for (int i = 0; i < inShapes.length; i++) {
                inShapes[i] = lookup(ins.get(i), standIn);
                if (inShapes[i] == null || inShapes[i] == FAILED) {
                    return null;
                }
            }
            try {
                return OpShapes.outputShapes(sd, sdo.getOp(), ins, inShapes);
            } catch (Exception | LinkageError | OutOfMemoryError ex) {
                return null;
            }
        }
    }

    private static long[] substitute(long[] shape, long standIn) {
        return OpShapes.hasUnknown(shape) ? Arrays.stream(shape).map(d -> d < 0 ? standIn : d).toArray() : shape;
    }
}
