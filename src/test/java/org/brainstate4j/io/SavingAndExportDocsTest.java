package org.brainstate4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.brainstate4j.DocsSnippets;
import org.brainstate4j.models.SimpleUNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * docs/saving-and-export.md: its Java snippets run as written there, except that every file is in a
 * temporary directory ({@link #path} where the page writes {@code Path.of}); {@link #snippetsAreThePagesText}
 * checks that the page shows this text.
 */
class SavingAndExportDocsTest {
    private static final String PAGE = "docs/saving-and-export.md";

    @TempDir
    Path dir;

    /** The page's {@code Path.of(name)}: the file {@code name} in the temporary directory. */
    private Path path(String name) {
        return dir.resolve(name);
    }

    private static SimpleUNet unet() {
        return SimpleUNet.builder().inSize(64, 64, 3).numClasses(6).width(4).seed(3).build();
    }

    private static INDArray sameDiffOutput(SimpleUNet network, INDArray input) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 64, 64, 3);
        SDVariable y = network.apply(sd, x);
        return sd.output(Map.of("x", input), y.name()).get(y.name());
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(error <= 1e-5 * scale, what + ": max difference " + error);
    }

    @Test
    void savingAndExport() throws Exception {
        TestModels.Model model = TestModels.build(DataType.FLOAT, 5);
        model.fit(2); // a trained graph, with updater state
        SameDiff sd = model.sd();
        SimpleUNet network = unet();
        Files.createDirectories(path("models"));

        // docs:begin
        ModelFile.save(sd, path("models/mine.bs4j"), true, Map.of("note", "epoch 3"));   // graph + parameters (+ updater state)
        SameDiff again = ModelFile.load(path("models/mine.bs4j"), true).sameDiff();        // training continues exactly

        InferenceExport.save(network, path("mine-inference.bs4j"), DataType.FLOAT, 64, 64, 3);  // folded, inference only
        ParameterExchange.save(network, path("params.npz"));   // keyed by path, e.g. enc1/weight: JAX/NumPy reads it
        // docs:end
        Files.copy(path("params.npz"), path("from-jax.npz"));
        Map<String, INDArray> before = new LinkedHashMap<>();
        network.parameters().forEach((k, v) -> before.put(k, v.dup()));
        // docs:begin
        ParameterExchange.load(network, path("from-jax.npz"));  // names and shapes checked before anything is assigned
        // docs:end

        TestModels.assertBitIdentical(model.output(), TestModels.Model.output(again, model.x()), "output after the reload");
        assertEquals("epoch 3", ModelFile.load(path("models/mine.bs4j"), false).metadata().get("note"));

        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 64, 64, 3);
        SameDiff inference = ModelFile.load(path("mine-inference.bs4j"), false).sameDiff();
        assertClose(sameDiffOutput(network, x), inference.output(Map.of("input", x), "output").get("output"),
                "the inference export against the network");

        assertEquals(network.parameters().keySet(), Npz.read(path("params.npz")).keySet());
        before.forEach((k, v) -> TestModels.assertBitIdentical(v, network.parameters().get(k), k + " after the round trip"));
    }

    @Test
    void onnxExportRunsInOnnxRuntime() throws Exception {
        SimpleUNet network = unet();
        INDArray input = Nd4j.rand(DataType.FLOAT, 1, 64, 64, 3);
        float[] pixels = input.dup('c').data().asFloat();

        // docs:begin
        OnnxExport.save(network, path("unet.onnx"), 64, 64, 3);   // any Module, per-sample input shape
        // docs:end

        // docs:begin
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
             OrtSession session = env.createSession(path("unet.onnx").toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 64, 64, 3});
             OrtSession.Result result = session.run(Map.of("input", x))) {
            float[][][][] logits = (float[][][][]) result.get("output").orElseThrow().getValue();   // (1, 64, 64, 6)
            // docs:end
            INDArray onnx = Nd4j.create(logits);
            assertArrayEquals(new long[] {1, 64, 64, 6}, onnx.shape());
            assertClose(sameDiffOutput(network, input), onnx.castTo(DataType.FLOAT), "ONNX Runtime against SameDiff");
        }
    }

    @Test
    void snippetsAreThePagesText() throws Exception {
        Map<String, String> toPage = new LinkedHashMap<>();
        toPage.put("path\\((\"[^\"]*\")\\)\\.toString\\(\\)", "$1");
        toPage.put("path\\(", "Path.of(");
        assertEquals(4, DocsSnippets.assertBlocksInPage(SavingAndExportDocsTest.class, PAGE, toPage));
    }
}
