package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

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

    private Inference() {}

    /** The inference graph of {@code module} for inputs of shape {@code (batch, *sampleShape)}. */
    public static SameDiff graph(Module module, DataType dataType, long... sampleShape) {
        checkArgument(module != null, "Inference.graph: module must not be null");
        checkArgument(dataType != null, "Inference.graph: dataType must not be null");
        checkArgument(sampleShape != null && sampleShape.length > 0, "sampleShape must not be empty");
        SameDiff sd = SameDiff.create();
        Module.markInference(sd);
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = -1;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        SDVariable y = module.apply(sd, sd.placeHolder(INPUT, dataType, shape));
        sd.identity(OUTPUT, y);
        return sd;
    }
}
