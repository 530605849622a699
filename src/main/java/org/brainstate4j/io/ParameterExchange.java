package org.brainstate4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.brainstate4j.nn.Module;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves a {@link Module}'s parameters to and from NumPy {@code .npz} files keyed by parameter path
 * ({@code weight}, {@code enc1/weight}, ... as {@link Module#parameters()} names them), e.g. to
 * exchange weights with BrainState/JAX or PyTorch code.
 *
 * <p>{@link #load} is all-or-nothing: it checks that the file's names equal the module's names
 * exactly and that every shape matches, and only then assigns the values into the module's live
 * arrays (the same arrays its SameDiff graphs train, so graphs already built see the new values).
 * <b>Data types:</b> float32 and float64 values may be loaded into parameters of the other type; they
 * are cast (float64 to float32 rounds to nearest). Values of the parameter's own type are copied bit
 * for bit.
 */
public final class ParameterExchange {
    private ParameterExchange() {}

    /** Writes {@code module.parameters()} to {@code npz} (uncompressed, atomically), keyed by path. */
    public static void save(Module module, Path npz) throws IOException {
        if (module == null) throw new IllegalArgumentException("module must not be null");
        Npz.write(npz, module.parameters());
    }

    /**
     * Reads {@code npz} and assigns every value into {@code module}'s parameter of the same path.
     *
     * @throws ParameterMismatchException the names differ (missing and unexpected ones are listed) or
     *                                    a shape differs (path and both shapes are given); nothing was assigned
     * @throws InvalidArrayFileException  the file is not a readable .npz of float32/float64 arrays
     */
    public static void load(Module module, Path npz) throws IOException {
        if (module == null) throw new IllegalArgumentException("module must not be null");
        if (npz == null) throw new IllegalArgumentException("the .npz file to load must not be null");
        assign(module, Npz.read(npz), npz.toString());
    }

    /**
     * Assigns {@code values} into {@code module}'s parameters under the same rules as {@link #load}
     * ({@code source} names where the values came from, for messages). Useful to copy the trained
     * variables of a loaded graph back into modules.
     */
    public static void assign(Module module, Map<String, INDArray> values, String source) throws ParameterMismatchException {
        Map<String, INDArray> target = module.parameters();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> shapes = new ArrayList<>();
        for (String path : target.keySet()) {
            if (!values.containsKey(path)) missing.add(path);
        }
        for (Map.Entry<String, INDArray> e : values.entrySet()) {
            INDArray live = target.get(e.getKey());
            if (live == null) {
                unexpected.add(e.getKey());
            } else if (!Arrays.equals(live.shape(), e.getValue().shape())) {
                shapes.add(e.getKey() + ": " + source + " has shape " + Arrays.toString(e.getValue().shape())
                        + ", the module has " + Arrays.toString(live.shape()));
            } else if (!isFloat(e.getValue().dataType())) {
                shapes.add(e.getKey() + ": " + source + " has data type " + e.getValue().dataType()
                        + "; only FLOAT and DOUBLE values can be loaded");
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !shapes.isEmpty()) {
            StringBuilder m = new StringBuilder("cannot load the parameters of ").append(module.typeName()).append(" '")
                    .append(module.name()).append("' from ").append(source).append("; nothing was assigned:");
            if (!missing.isEmpty()) m.append("\n  missing from the source: ").append(missing);
            if (!unexpected.isEmpty()) m.append("\n  unexpected (the module has no such parameter): ").append(unexpected);
            for (String s : shapes) m.append("\n  ").append(s);
            throw new ParameterMismatchException(m.toString(), missing, unexpected, shapes);
        }
        // Everything matches: convert first (no exception can follow), then assign.
        // (A list, not a map: INDArray's equals/hashCode compare contents.)
        List<INDArray[]> plan = new ArrayList<>();
        target.forEach((path, live) -> {
            INDArray v = values.get(path);
            plan.add(new INDArray[] {live, v.dataType() == live.dataType() ? v : v.castTo(live.dataType())});
        });
        for (INDArray[] p : plan) p[0].assign(p[1]);
    }

    private static boolean isFloat(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE;
    }
}
