package org.brainstate4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.brainstate4j.nn.Inference;
import org.brainstate4j.nn.Module;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference exports: a {@link ModelFile} holding only the folded forward pass of a module
 * ({@link Inference#graph}): placeholder {@code input}, result {@code output}, parameters as
 * constants with weight standardization and masks folded into plain kernels, no loss, labels,
 * training configuration or updater state.
 */
public final class InferenceExport {
    private InferenceExport() {}

    /** Writes the inference graph of {@code module} for inputs {@code (batch, *sampleShape)} to {@code file}. */
    public static void save(Module module, Path file, DataType dataType, long... sampleShape) throws IOException {
        SameDiff sd = Inference.graph(module, dataType, sampleShape);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("kind", "inference");
        metadata.put("module", module.typeName());
        metadata.put("input", Inference.INPUT);
        metadata.put("output", Inference.OUTPUT);
        metadata.put("inputShape", Arrays.toString(sampleShape));
        ModelFile.save(sd, file, false, metadata);
    }

    /**
     * Copies the trained values of a graph built by applying {@code module} at the top level (its
     * variables are named {@code <module name>/<path>}) back into the module's parameters.
     */
    public static void copyTrainedParameters(SameDiff trained, Module module, Path source) throws ParameterMismatchException {
        Map<String, INDArray> values = new LinkedHashMap<>();
        String prefix = module.name() + "/";
        for (SDVariable v : trained.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE && v.name().startsWith(prefix)) {
                values.put(v.name().substring(prefix.length()), v.getArr());
            }
        }
        ParameterExchange.assign(module, values, source.toString());
    }
}
