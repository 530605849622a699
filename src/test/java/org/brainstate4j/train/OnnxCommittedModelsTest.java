package org.brainstate4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.brainstate4j.io.ModelFile;
import org.brainstate4j.io.OnnxExport;
import org.brainstate4j.onnx.OnnxRuntimeRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each model in models/ (the committed ones on a fresh clone; whatever the main job or {@code train}
 * has written over them otherwise, since a faithful export is a property of the exporter, not of how
 * well a model was trained), exported to ONNX and run by ONNX Runtime on its real test split, gives
 * the saved SameDiff graph's outputs within 1e-5 of their scale and the same predictions. A prediction may differ only where the saved graph's two best logits are closer
 * than that tolerance (a float32 tie: the two runtimes sum in different orders); accuracy and mean
 * IoU must then be equal to within those flips, and the autoencoder's MSE to 1e-6 relative. By
 * default the first 2,000 test images (classifiers) or 200 canvases (U-Nets, autoencoder) are used;
 * {@code -Dbrainstate4j.fullGrid=true} runs the whole test split.
 */
class OnnxCommittedModelsTest {
    private static final Path MODELS = Path.of("models");
    private static final Path DATA = Path.of("data", "fashion-mnist");
    private static final boolean FULL = Boolean.getBoolean("brainstate4j.fullGrid");
    private static final double TOLERANCE = 1e-5;

    @TestFactory
    Stream<DynamicTest> committedModelsGiveTheSamePredictionsInOnnxRuntime() {
        return List.of("cnn", "cnn-ws", "autoencoder", "unet", "unet-ws").stream()
                .map(name -> DynamicTest.dynamicTest(name, () -> compare(ModelKind.fromCliName(name))));
    }

    private static void compare(ModelKind kind) throws Exception {
        Path file = MODELS.resolve(kind.cliName() + ".bs4j");
        String savedWidth = ModelFile.readManifest(file).metadata().get("width"); // train --width N saves N
        int width = savedWidth == null || savedWidth.equals("-") ? TrainingOptions.defaults(kind).width() : Integer.parseInt(savedWidth);
        TrainedModels.Trained trained = TrainedModels.load(kind, file, width, DATA);
        Experiment experiment = trained.experiment();
        experiment.loadData();
        SameDiff saved = ModelFile.load(file, false).sameDiff();
        boolean reconstruction = kind == ModelKind.AUTOENCODER;
        int classes = (int) experiment.labelShape()[experiment.labelShape().length - 1];
        long[][] sameDiffCounts = new long[classes][classes];
        long[][] onnxCounts = new long[classes][classes];
        double sameDiffSquares = 0;
        double onnxSquares = 0;
        double maxError = 0;
        double scale = 0;
        long differentPredictions = 0;
        long borderlineFlips = 0;
        long predictions = 0;
        boolean classifier = kind == ModelKind.CNN || kind == ModelKind.CNN_WS;
        long limit = FULL ? Long.MAX_VALUE : classifier ? 2_000 : 200;
        long samples = 0;
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(OnnxExport.bytes(trained.module(), experiment.inputShape()))) {
            DataSetIterator test = experiment.testIterator();
            test.reset();
            while (test.hasNext() && samples < limit) {
                DataSet batch = test.next();
                samples += batch.numExamples();
                INDArray expected = Evaluations.output(saved, batch.getFeatures());
                INDArray actual = ort.run(batch.getFeatures());
                maxError = Math.max(maxError, expected.sub(actual).amaxNumber().doubleValue());
                scale = Math.max(scale, expected.amaxNumber().doubleValue());
                if (reconstruction) {
                    sameDiffSquares += squaredError(expected, batch.getFeatures());
                    onnxSquares += squaredError(actual, batch.getFeatures());
                } else {
                    int axis = expected.rank() - 1;
                    INDArray a = Nd4j.argMax(expected, axis);
                    INDArray b = Nd4j.argMax(actual, axis);
                    long differing = a.neq(b).castTo(DataType.INT).sumNumber().longValue();
                    differentPredictions += differing;
                    predictions += a.length();
                    if (differing > 0) borderlineFlips += flipsWithinTolerance(expected, a, b);
                    Metrics.accumulate(sameDiffCounts, batch.getLabels(), expected);
                    Metrics.accumulate(onnxCounts, batch.getLabels(), actual);
                }
            }
        }
        String where = String.format(Locale.ROOT, "%s: max |SameDiff - ONNX Runtime| %.3g, output scale %.3g",
                file, maxError, scale);
        assertTrue(maxError <= TOLERANCE * Math.max(1, scale), where);
        String result;
        if (reconstruction) {
            assertEquals(sameDiffSquares, onnxSquares, 1e-6 * sameDiffSquares, where + ": MSE");
            long values = samples * Arrays.stream(experiment.inputShape()).reduce(1, (x, y) -> x * y);
            result = String.format(Locale.ROOT, "MSE %.6f (SameDiff) and %.6f (ONNX Runtime)",
                    sameDiffSquares / values, onnxSquares / values);
        } else {
            assertEquals(differentPredictions, borderlineFlips,
                    where + ": predictions differ where the saved graph's two best logits are further apart than the tolerance");
            String metric = classifier ? "accuracy" : "mean IoU";
            double a = classifier ? Metrics.accuracy(sameDiffCounts) : Metrics.mean(Metrics.iou(sameDiffCounts));
            double b = classifier ? Metrics.accuracy(onnxCounts) : Metrics.mean(Metrics.iou(onnxCounts));
            if (differentPredictions == 0) {
                assertTrue(Arrays.deepEquals(sameDiffCounts, onnxCounts), where + ": confusion matrices differ");
            }
            assertEquals(a, b, (double) differentPredictions / predictions * classes, where + ": " + metric);
            result = String.format(Locale.ROOT, "%s %.6f (SameDiff) and %.6f (ONNX Runtime); %d of %d predictions differ "
                    + "(each a float32 tie)", metric, a, b, differentPredictions, predictions);
        }
        System.out.printf(Locale.ROOT, "ONNX export of %s, %d test samples: %s; %s%n", file, samples, where, result);
    }

    /** How many of the differing predictions are ties: the saved graph's two best logits closer than the tolerance. */
    private static long flipsWithinTolerance(INDArray expected, INDArray argmaxExpected, INDArray argmaxActual) {
        long classes = expected.size(expected.rank() - 1);
        INDArray rows = expected.reshape('c', -1, classes);
        int[] a = argmaxExpected.castTo(DataType.INT).reshape(-1).toIntVector();
        int[] b = argmaxActual.castTo(DataType.INT).reshape(-1).toIntVector();
        double bound = 2 * TOLERANCE * Math.max(1, expected.amaxNumber().doubleValue());
        long ties = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && rows.getDouble(i, a[i]) - rows.getDouble(i, b[i]) <= bound) ties++;
        }
        return ties;
    }

    private static double squaredError(INDArray output, INDArray target) {
        INDArray diff = output.sub(target);
        return diff.mul(diff).sumNumber().doubleValue();
    }
}
