package org.brainstate4j.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainstate4j.io.OnnxExport;
import org.brainstate4j.nn.Inference;
import org.brainstate4j.onnx.OnnxRuntimeRunner;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.TrainedModels;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference time of the committed CNN and U-Net exported to ONNX and run by ONNX Runtime (CPU,
 * default session options: all cores, all graph optimizations) against the DL4J folded inference
 * graph of the same trained module ({@link Inference#graph}), same input, interleaved rounds.
 * Prints per-variant medians and the median per-round ratio ONNX Runtime / DL4J.
 *
 * <p>Run: {@code java -cp <test classpath> org.brainstate4j.bench.OnnxBenchmark [rounds steps]}
 */
public final class OnnxBenchmark {
    private OnnxBenchmark() {}

    private record Case(String name, ModelKind kind, int width, int batch) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Case> cases = List.of(
                new Case("cnn (SimpleCNN 28x28x1)", ModelKind.CNN, 16, 1),
                new Case("cnn (SimpleCNN 28x28x1)", ModelKind.CNN, 16, 256),
                new Case("unet (SimpleUNet w16 64x64x3)", ModelKind.UNET, 16, 1),
                new Case("unet (SimpleUNet w16 64x64x3)", ModelKind.UNET, 16, 16));
        System.out.printf(Locale.ROOT, "brainstate4j ONNX benchmark: %d interleaved rounds x %d forward passes, ND4J build '%s'%n",
                rounds, steps, System.getProperty("org.bytedeco.javacpp.platform.extension", ""));
        System.out.printf(Locale.ROOT, "%-30s %6s %14s %18s %26s%n", "model", "batch", "DL4J ms", "ONNX Runtime ms",
                "ONNX Runtime/DL4J (median)");
        for (Case c : cases) {
            Path file = Path.of("models", c.kind().cliName() + ".bs4j");
            TrainedModels.Trained t = TrainedModels.load(c.kind(), file, c.width(), Path.of("data", "fashion-mnist"));
            long[] sample = t.experiment().inputShape();
            long[] shape = new long[sample.length + 1];
            shape[0] = c.batch();
            System.arraycopy(sample, 0, shape, 1, sample.length);
            INDArray input = Nd4j.rand(DataType.FLOAT, shape);
            SameDiff folded = Inference.graph(t.module(), DataType.FLOAT, sample);
            try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(OnnxExport.bytes(t.module(), sample))) {
                Map<String, double[]> times = new Interleaved()
                        .add("dl4j", () -> folded.output(Map.of(Inference.INPUT, input), Inference.OUTPUT))
                        .add("onnxruntime", () -> {
                            try {
                                ort.run(input);
                            } catch (ai.onnxruntime.OrtException e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .run(3, rounds, steps);
                double[] ratios = Interleaved.ratios(times.get("onnxruntime"), times.get("dl4j"));
                System.out.printf(Locale.ROOT, "%-30s %6d %14.2f %18.2f %25.3fx%n", c.name(), c.batch(),
                        Interleaved.median(times.get("dl4j")), Interleaved.median(times.get("onnxruntime")),
                        Interleaved.median(ratios));
            }
        }
    }
}
