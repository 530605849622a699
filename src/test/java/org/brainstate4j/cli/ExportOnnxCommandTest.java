package org.brainstate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.brainstate4j.io.ModelFile;
import org.brainstate4j.onnx.OnnxRuntimeRunner;
import org.brainstate4j.train.Experiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code export --format onnx} on the committed CNN writes a model ONNX Runtime runs like the saved graph. */
class ExportOnnxCommandTest {

    @Test
    void exportsTheCommittedCnnToOnnx(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("cnn.onnx");
        MainTest.Run r = MainTest.run("export", "-m", "cnn", "--format", "onnx", "-o", onnx.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("ONNX model written: " + onnx) && r.out().contains("(batch, 28, 28, 1)"), r.out());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 28, 28, 1);
        INDArray expected = ModelFile.load(Path.of("models", "cnn.bs4j"), false).sameDiff()
                .output(java.util.Map.of(Experiment.INPUT, x), Experiment.OUTPUT).get(Experiment.OUTPUT);
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(Files.readAllBytes(onnx))) {
            double error = expected.sub(ort.run(x)).amaxNumber().doubleValue();
            assertTrue(error <= 1e-5 * Math.max(1, expected.amaxNumber().doubleValue()), "max difference " + error);
        }
    }

    @Test
    void unknownFormatExitsTwoWithoutOutput(@TempDir Path dir) {
        Path out = dir.resolve("cnn.tflite");
        MainTest.Run r = MainTest.run("export", "-m", "cnn", "--format", "tflite", "-o", out.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("Invalid value for option '--format'") && r.err().contains("bs4j, onnx"), r.err());
        assertFalse(Files.exists(out));
    }
}
