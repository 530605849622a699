package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.brainstate4j.graph.PerGraph;
import org.brainstate4j.graph.SameDiffNoise;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Something that emits a named SameDiff subgraph. {@link #apply(SameDiff, SDVariable)} opens a name
 * scope with the module's name, so ops and parameters get paths such as {@code enc1/weight}.
 *
 * <p>A module owns its parameter values ({@link #parameters()}). The first time it is applied to a
 * graph they become trainable variables of that graph, sharing the same arrays (so training updates
 * what {@link #parameters()} shows); applying the module again to the same graph reuses them.
 */
public abstract class Module {
    static {
        SameDiffNoise.install();
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Map<String, AtomicInteger> DEFAULT_NAME_COUNTERS = new ConcurrentHashMap<>();

    private final String name;
    /** Graphs built for inference only: parameters become constants, kernels are folded. */
    private static final PerGraph<Boolean> INFERENCE_GRAPHS = new PerGraph<>();

    /** Per graph: local name -> the graph variable bound to it. Weak, so dropped graphs are collected. */
    private final PerGraph<Map<String, SDVariable>> bindings = new PerGraph<>();

    protected Module(String name) {
        this.name = name != null ? name : defaultName(getClass());
        checkArgument(NAME.matcher(this.name).matches(),
                "%s: name (='%s') may contain only letters, digits, '_', '.' and '-'", getClass().getSimpleName(), this.name);
    }

    /** {@code conv2d_0}, {@code conv2d_1}, ...: unique per type within this JVM, like BrainState's names. */
    private static String defaultName(Class<?> type) {
        String base = type.getSimpleName().toLowerCase();
        return base + "_" + DEFAULT_NAME_COUNTERS.computeIfAbsent(base, k -> new AtomicInteger()).getAndIncrement();
    }

    public final String name() {
        return name;
    }

    /** Short type name for messages and summaries, e.g. {@code Conv2d}. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** The parameters this module holds itself, by local name (e.g. {@code weight}, {@code bias}). */
    protected Map<String, INDArray> ownParameters() {
        return Collections.emptyMap();
    }

    /** Child modules, in the order they are applied; empty for a single layer. */
    public List<Module> children() {
        return Collections.emptyList();
    }

    /** Every parameter by path relative to this module: {@code weight}, {@code enc1/weight}, ... */
    public final Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>(ownParameters());
        for (Module child : children()) {
            child.parameters().forEach((path, value) -> out.put(child.name() + "/" + path, value));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Total number of parameter entries. */
    public final long parameterCount() {
        return parameters().values().stream().mapToLong(INDArray::length).sum();
    }

    /**
     * Emits this module into {@code sd}, applied to {@code x}, under the name scope {@link #name()}
     * (nested inside any scope already open). Invalid input is refused here, before anything runs.
     */
    public final SDVariable apply(SameDiff sd, SDVariable x) {
        checkArgument(sd != null, "%s '%s': the graph must not be null", typeName(), name);
        checkArgument(x != null, "%s '%s': the input must not be null", typeName(), name);
        checkArgument(x.getSameDiff() == sd,
                "%s '%s': input '%s' belongs to a different SameDiff graph", typeName(), name, x.name());
        try (NameScope ignored = sd.withNameScope(name)) {
            long own = ownParameters().values().stream().mapToLong(INDArray::length).sum();
            int summaryRow = Summary.enter(sd.currentNameScope(), typeName(), own);
            SDVariable y = forward(sd, x);
            Summary.exit(summaryRow, y);
            Inference.recordApplication(sd, this, x, y);
            return y;
        }
    }

    /**
     * The look-up of parameter variables handed to a layer's {@code emit}: they must be keyed exactly
     * as the layer's own parameters.
     */
    static java.util.function.Function<String, SDVariable> given(Module m, Map<String, SDVariable> variables) {
        checkArgument(variables != null && variables.keySet().equals(m.ownParameters().keySet()),
                "%s '%s': expected parameter variables for %s, got %s", m.typeName(), m.name,
                m.ownParameters().keySet(), variables == null ? null : variables.keySet());
        return variables::get;
    }

    /** Prints as {@code Type 'scope/path'} inside a graph's scope, for messages. */
    static String describe(Module m, SameDiff sd) {
        String scope = sd.currentNameScope();
        return m.typeName() + " '" + (scope != null ? scope : m.name()) + "'";
    }

    /** Builds this module's ops; called inside the module's name scope. */
    protected abstract SDVariable forward(SameDiff sd, SDVariable x);

    /**
     * Marks {@code sd} as an inference graph before modules are applied to it: parameters are then
     * emitted as constants (copies, frozen at this moment) and convolution kernels are folded.
     */
    static void markInference(SameDiff sd) {
        INFERENCE_GRAPHS.computeIfAbsent(sd, () -> Boolean.TRUE);
    }

    /** True in a graph made by {@link Inference#graph}. */
    protected static boolean isInference(SameDiff sd) {
        return INFERENCE_GRAPHS.get(sd) != null;
    }

    /**
     * The graph variable of the parameter {@code localName}: created from its value on first use in
     * {@code sd} as {@code <scope>/<localName>} (SameDiff 1.0.0-M2.1 ignores name scopes for variables
     * and constants, so the path is built here; canary: {@code workarounds.Dl4jM21CanaryTest}), and the same variable on every later use. In an inference graph it is a
     * constant holding a copy of the value.
     */
    protected final SDVariable parameter(SameDiff sd, String localName) {
        INDArray value = ownParameters().get(localName);
        if (value == null) {
            throw new IllegalStateException(typeName() + " '" + name + "' has no parameter '" + localName + "'");
        }
        return isInference(sd) ? constant(sd, localName, value.dup()) : bind(sd, localName, path -> sd.var(path, value));
    }

    /** A constant of this module (e.g. a weight mask), bound per graph like a parameter. */
    protected final SDVariable constant(SameDiff sd, String localName, INDArray value) {
        return bind(sd, localName, path -> sd.constant(path, value));
    }

    private SDVariable bind(SameDiff sd, String localName, java.util.function.Function<String, SDVariable> create) {
        Map<String, SDVariable> bound = bindings.computeIfAbsent(sd, LinkedHashMap::new);
        SDVariable existing = bound.get(localName);
        if (existing != null) return existing;
        String scope = sd.currentNameScope();
        String path = scope == null ? localName : scope + "/" + localName;
        checkArgument(!sd.hasVariable(path),
                "%s '%s': the graph already has a variable '%s' that belongs to another module; "
                        + "give each module a distinct name", typeName(), name, path);
        SDVariable created = create.apply(path);
        bound.put(localName, created);
        return created;
    }
}
