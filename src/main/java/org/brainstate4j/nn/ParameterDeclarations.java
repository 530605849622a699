package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.brainstate4j.nn.init.Initializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters a layer declares, in order: name, shape, initializer and whether DL4J should treat
 * it as a bias. Both fronts use it: a layer creates its values here ({@link #create}, which checks
 * every value's shape and data type), and a DL4J layer configuration registers the same names and
 * shapes with DL4J ({@link #shapes()}) before any value exists.
 */
public final class ParameterDeclarations {
    private record Declaration(long[] shape, Initializer initializer, boolean bias) {}

    private final String who;
    private final DataType dataType;
    private final Map<String, Declaration> declarations = new LinkedHashMap<>();

    ParameterDeclarations(String who, DataType dataType) {
        this.who = who;
        this.dataType = dataType;
    }

    /** Declares a parameter made by {@code initializer}; {@code bias} only tells DL4J how to regularize it. */
    ParameterDeclarations declare(String name, long[] shape, Initializer initializer, boolean bias) {
        declarations.put(name, new Declaration(shape.clone(), initializer, bias));
        return this;
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
     * Every value, created in declaration order with the generator {@code random} hands out for it,
     * each checked to have its declared shape and the layer's data type.
     */
    Map<String, INDArray> create(Supplier<RandomGenerator> random) {
        String prefix = who + ": ";
        Map<String, INDArray> out = new LinkedHashMap<>();
        declarations.forEach((name, d) -> {
            INDArray value;
            try {
                value = d.initializer.create(d.shape, dataType, random.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + name + ": " + e.getMessage(), e);
            }
            checkArgument(value != null, prefix + "the %s initializer returned null", name);
            checkArgument(Arrays.equals(value.shape(), d.shape) && value.dataType() == dataType,
                    prefix + "the %s initializer made shape %s (%s), expected %s (%s)",
                    name, value.shape(), value.dataType(), d.shape, dataType);
            out.put(name, value);
        });
        return out;
    }
}
