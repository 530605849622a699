package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.brainstate4j.graph.StaticShapes;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A Keras-style summary of a module: one row per module applied (in call order, nested modules
 * indented), with its type, output shape and own parameter count. Made by applying the module to a
 * throw-away graph and recording each module's output shape, so shapes are the real ones.
 */
public final class Summary {
    /** One module application. */
    public record Row(String path, int depth, String type, long[] outputShape, long parameters) {}

    private static final ThreadLocal<List<Row>> TRACE = new ThreadLocal<>();

    private final String title;
    private final List<Row> rows;
    private final long totalParameters;

    private Summary(String title, List<Row> rows, long totalParameters) {
        this.title = title;
        this.rows = List.copyOf(rows);
        this.totalParameters = totalParameters;
    }

    /** Applies {@code module} to a placeholder of shape {@code (batch, *sampleShape)} and records every module. */
    public static Summary of(Module module, DataType dataType, long... sampleShape) {
        checkArgument(module != null, "Summary.of: module must not be null");
        checkArgument(dataType != null, "Summary.of: dataType must not be null");
        checkArgument(sampleShape != null && sampleShape.length > 0,
                "Summary.of: sampleShape (=%s) must give the per-sample input shape", sampleShape);
        for (long d : sampleShape) {
            checkArgument(d > 0, "Summary.of: sampleShape (=%s) must contain only positive sizes", sampleShape);
        }
        SameDiff sd = SameDiff.create();
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = -1;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        List<Row> rows = new ArrayList<>();
        TRACE.set(rows);
        try {
            module.apply(sd, sd.placeHolder("input", dataType, shape));
        } finally {
            TRACE.remove();
        }
        return new Summary(module.typeName() + " '" + module.name() + "', input " + format(shape), rows,
                module.parameterCount());
    }

    /** Called by {@link Module#apply} when a summary is being recorded: reserves the module's row. */
    static int enter(String path, String type, long ownParameters) {
        List<Row> rows = TRACE.get();
        if (rows == null) return -1;
        int depth = (int) path.chars().filter(c -> c == '/').count();
        rows.add(new Row(path, depth, type, null, ownParameters));
        return rows.size() - 1;
    }

    /** Completes the row reserved by {@link #enter} with the module's output shape. */
    static void exit(int row, SDVariable output) {
        List<Row> rows = TRACE.get();
        if (rows == null || row < 0) return;
        Row r = rows.get(row);
        rows.set(row, new Row(r.path(), r.depth(), r.type(), StaticShapes.of(output).orElse(null), r.parameters()));
    }

    public List<Row> rows() { return rows; }

    public long totalParameters() { return totalParameters; }

    private static String format(long[] shape) {
        if (shape == null) return "?";
        return Arrays.stream(shape).mapToObj(d -> d < 0 ? "None" : Long.toString(d))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public String toString() {
        int pathWidth = Math.max(20, rows.stream().mapToInt(r -> 2 * r.depth() + leaf(r.path()).length()).max().orElse(0) + 2);
        int typeWidth = Math.max(16, rows.stream().mapToInt(r -> r.type().length()).max().orElse(0) + 2);
        int shapeWidth = Math.max(22, rows.stream().mapToInt(r -> format(r.outputShape()).length()).max().orElse(0) + 2);
        String rule = "=".repeat(pathWidth + typeWidth + shapeWidth + 12);
        StringBuilder sb = new StringBuilder(title).append('\n').append(rule).append('\n');
        sb.append(String.format(Locale.ROOT, "%-" + pathWidth + "s%-" + typeWidth + "s%-" + shapeWidth + "s%12s%n",
                "Layer", "Type", "Output shape", "Params"));
        sb.append(rule.replace('=', '-')).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + pathWidth + "s%-" + typeWidth + "s%-" + shapeWidth + "s%,12d%n",
                    "  ".repeat(r.depth()) + leaf(r.path()), r.type(), format(r.outputShape()), r.parameters()));
        }
        sb.append(rule).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", totalParameters));
        return sb.toString();
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
