package org.brainstate4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brainstate4j.io.InferenceExport;
import org.brainstate4j.io.OnnxExport;
import org.brainstate4j.onnx.OnnxModels;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.TrainedModels;
import org.brainstate4j.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write an inference-only model from a trained one: weight standardization and masks "
                + "folded into plain kernels, parameters frozen, no training state; as a brainstate4j file "
                + "(bs4j, default) or an ONNX model (onnx).")
final class ExportCommand implements Callable<Integer> {
    /** What {@code --format} accepts. */
    enum Format { bs4j, onnx }

    @Mixin
    Main.Common common = new Main.Common();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Trained model file (default: models/<model>.bs4j)")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Inference file to write")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "bs4j",
            description = "bs4j (SameDiff inference file) or onnx (ONNX opset " + OnnxModels.OPSET + ", float32, "
                    + "dynamic batch; default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() throws Exception {
        ModelKind kind = ModelKind.fromCliName(common.model);
        Path trained = file != null ? file : Trainer.modelFile(Path.of("models"), kind);
        TrainedModels.Trained t = TrainedModels.load(kind, trained, common.width, common.data);
        long[] inputShape = t.experiment().inputShape();
        if (format == Format.onnx) {
            OnnxExport.save(t.module(), output, inputShape);
            System.out.println("ONNX model written: " + output + " (opset " + OnnxModels.OPSET + "; input '" + OnnxExport.INPUT
                    + "' float32 (batch, " + join(inputShape) + "), output '" + OnnxExport.OUTPUT + "')");
        } else {
            InferenceExport.save(t.module(), output, DataType.FLOAT, inputShape);
            System.out.println("inference model written: " + output + " (input '" + org.brainstate4j.nn.Inference.INPUT
                    + "', output '" + org.brainstate4j.nn.Inference.OUTPUT + "')");
        }
        return 0;
    }

    private static String join(long[] shape) {
        return String.join(", ", java.util.Arrays.stream(shape).mapToObj(Long::toString).toList());
    }
}
