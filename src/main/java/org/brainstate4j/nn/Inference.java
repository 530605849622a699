package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.brainstate4j.graph.PerGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Inference-only graphs: the module's forward pass with every parameter frozen into a constant and
 * every convolution kernel folded (weight standardization with its gain, then the weight mask,
 * evaluated once), so the graph holds no variables, no gradient or updater state and none of the
 * per-step standardization ops.
 */
public final class Inference {
    /** Name of the input placeholder of an inference graph. */
    public static final String INPUT = "input";
    /** Name of the output variable of an inference graph. */
    public static final String OUTPUT = "output";

    /** Graphs built by {@link #traced}: every module application is recorded, in call order. */
    private static final PerGraph<List<Application>> TRACES = new PerGraph<>();

    private Inference() {}

    /** One application of a module in a traced graph: the graph variables it read and produced. */
    public record Application(Module module, String input, String output) {}

    /** An inference graph and the module applications that made it (networks and their layers alike). */
    public record Traced(SameDiff graph, List<Application> applications) {}

    /** The inference graph of {@code module} for inputs of shape {@code (batch, *sampleShape)}. */
    public static SameDiff graph(Module module, DataType dataType, long... sampleShape) {
        return build(module, dataType, sampleShape, false).graph();
    }

    /**
     * As {@link #graph}, also recording which module produced which variable, so a translator (the
     * ONNX export) can map a layer from its configuration instead of from the ops it emitted.
     */
    public static Traced traced(Module module, DataType dataType, long... sampleShape) {
        return build(module, dataType, sampleShape, true);
    }

    private static Traced build(Module module, DataType dataType, long[] sampleShape, boolean trace) {
        checkArgument(module != null, "Inference.graph: module must not be null");
        checkArgument(dataType != null, "Inference.graph: dataType must not be null");
        checkArgument(sampleShape != null && sampleShape.length > 0, "sampleShape must not be empty");
        SameDiff sd = SameDiff.create();
        List<Application> applications = trace ? TRACES.computeIfAbsent(sd, ArrayList::new) : List.of();
        Module.markInference(sd);
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = -1;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        SDVariable y = module.apply(sd, sd.placeHolder(INPUT, dataType, shape));
        sd.identity(OUTPUT, y);
        return new Traced(sd, List.copyOf(applications));
    }

    /** Called by {@link Module#apply} after each application; records it when the graph is traced. */
    static void recordApplication(SameDiff sd, Module module, SDVariable input, SDVariable output) {
        List<Application> applications = TRACES.get(sd);
        if (applications != null) applications.add(new Application(module, input.name(), output.name()));
    }
}
