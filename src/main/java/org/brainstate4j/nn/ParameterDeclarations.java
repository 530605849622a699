package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.brainstate4j.nn.init.Initializer;
import org.brainstate4j.nn.init.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters a layer declares, in order: name, shape, initializer and whether DL4J should treat
 * it as a bias. The one place where parameters are declared, checked and created, for both fronts:
 * a layer creates its values here ({@link #create}, which checks every value's shape and data type),
 * and a DL4J layer configuration registers the same names and shapes with DL4J ({@link #shapes()})
 * before any value exists. Public only so that {@code org.brainstate4j.dl4j} can read it; layers
 * hand it out from their builders' {@code parameterDeclarations()}.
 */
public final class ParameterDeclarations {
    private record Declaration(long[] shape, Initializer initializer, boolean bias) {}

    private final String who;
    private final DataType dataType;
    private final Map<String, Declaration> declarations = new LinkedHashMap<>();

    /** Declarations of the layer {@code who} (how messages name it), whose parameters are all {@code dataType}. */
    ParameterDeclarations(String who, DataType dataType) {
        checkArgument(dataType == DataType.FLOAT || dataType == DataType.DOUBLE,
                who + ": dataType (=%s) must be FLOAT or DOUBLE", dataType);
        this.who = who;
        this.dataType = dataType;
    }

    /**
     * Declares a parameter made by {@code initializer}, which must not be null (the builders' setting
     * is {@code <name>Init}); {@code bias} only tells DL4J how to regularize it.
     */
    ParameterDeclarations declare(String name, long[] shape, Initializer initializer, boolean bias) {
        checkArgument(initializer != null, who + ": %sInit must not be null", name);
        declarations.put(name, new Declaration(shape.clone(), initializer, bias));
        return this;
    }

    /** An initializer holding {@code value}, for a builder's {@code weight(INDArray)}; null is refused with the argument's name. */
    static Initializer given(String who, String argument, INDArray value) {
        checkArgument(value != null, "%s: %s must not be null (leave it unset for the default)", who, argument);
        return Initializer.of(value);
    }

    /**
     * Refuses a weight mask that does not broadcast to {@code shape} (numpy's rule, trailing axes
     * first); {@code shapeName} is how the message calls that shape ({@code kernel}, {@code weight}).
     */
    static void checkMask(String who, INDArray mask, long[] shape, String shapeName) {
        if (mask == null) return;
        long[] maskShape = mask.shape();
        checkArgument(broadcastsTo(maskShape, shape),
                who + ": weightMask of shape %s must broadcast to the %s shape %s", maskShape, shapeName, shape);
    }

    private static boolean broadcastsTo(long[] from, long[] to) {
        if (from.length > to.length) return false;
        for (int i = 1; i <= from.length; i++) {
            long f = from[from.length - i];
            if (f != 1 && f != to[to.length - i]) return false;
        }
        return true;
    }

    /** Parameter names and shapes, in declaration order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        declarations.forEach((name, d) -> out.put(name, d.shape.clone()));
        return Collections.unmodifiableMap(out);
    }

    /** True when {@code name} is declared as a bias (DL4J applies bias updaters and regularization to it). */
    public boolean isBias(String name) {
        Declaration d = declarations.get(name);
        return d != null && d.bias;
    }

    /**
     * Every value, created in declaration order from one generator ({@link Seeds#generator}: from
     * {@code seed}, or the next of the global sequence when null), which each initializer draws from
     * in turn; each value is checked to have its declared shape and the layer's data type.
     */
    Map<String, INDArray> create(Long seed) {
        RandomGenerator random = Seeds.generator(seed);
        String prefix = who + ": ";
        Map<String, INDArray> out = new LinkedHashMap<>();
        declarations.forEach((name, d) -> {
            INDArray value;
            try {
                value = d.initializer.create(d.shape, dataType, random);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + name + ": " + e.getMessage(), e);
            }
            checkArgument(value != null, prefix + "the %s initializer returned null", name);
            checkArgument(Arrays.equals(value.shape(), d.shape) && value.dataType() == dataType,
                    prefix + "the %s initializer made shape %s (%s), expected %s (%s)",
                    name, value.shape(), value.dataType(), d.shape, dataType);
            out.put(name, value);
        });
        return Collections.unmodifiableMap(out);
    }
}
