package org.brainstate4j.io;

import org.brainstate4j.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.brainstate4j.nn.Inference;
import org.brainstate4j.nn.Module;
import org.brainstate4j.onnx.OnnxModels;

/**
 * ONNX exports: the folded inference graph of a module ({@link InferenceExport}'s, weight
 * standardization and masks folded into constant kernels) as an ONNX model, opset
 * {@value OnnxModels#OPSET}, IR version {@value OnnxModels#IR_VERSION}. One float32 input
 * {@code input} of shape {@code (batch, *sampleShape)} in the module's own layout (channels-last
 * for the tutorial networks) and one float32 output {@code output}, {@code batch} symbolic. Written
 * atomically, like every other save ({@link AtomicFiles}).
 */
public final class OnnxExport {
    /** Name of the model's input. */
    public static final String INPUT = Inference.INPUT;
    /** Name of the model's output. */
    public static final String OUTPUT = Inference.OUTPUT;

    private OnnxExport() {}

    /** Writes the ONNX model of {@code module} for inputs {@code (batch, *sampleShape)} to {@code file}. */
    public static void save(Module module, Path file, long... sampleShape) throws IOException {
        AtomicFiles.write(file, bytes(module, sampleShape));
    }

    /** The serialized ONNX model (what {@link #save} writes). */
    public static byte[] bytes(Module module, long... sampleShape) {
        return OnnxModels.of(module, sampleShape).toByteArray();
    }
}
