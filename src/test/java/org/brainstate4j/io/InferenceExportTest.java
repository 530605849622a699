package org.brainstate4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.brainstate4j.models.SimpleUNet;
import org.brainstate4j.nn.Inference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** A trained weight-standardized U-Net exported for inference gives the training graph's outputs. */
class InferenceExportTest {

    @Test
    void exportOfTrainedModelMatchesTrainingGraph(@TempDir Path dir) throws Exception {
        SimpleUNet unet = SimpleUNet.builder().inSize(32, 32, 3).numClasses(4).width(8).weightStandardized(true)
                .seed(7).build();
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 32, 32, 3);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 32, 32, 4);
        SDVariable y = unet.apply(sd, x);
        sd.loss().softmaxCrossEntropy("loss", label, y, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-2)).dataSetFeatureMapping("x")
                .dataSetLabelMapping("label").build());
        INDArray features = Nd4j.rand(DataType.FLOAT, 4, 32, 32, 3);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 32, 32, 4);
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(1);
        for (int i = 0; i < 3; i++) sd.fit(new DataSet(features, labels));
        Path trainedFile = dir.resolve("unet.bs4j");
        ModelFile.save(sd, trainedFile, true, Map.of());

        // a fresh module of the same configuration, given the trained values from the saved file
        SimpleUNet fresh = SimpleUNet.builder().inSize(32, 32, 3).numClasses(4).width(8).weightStandardized(true)
                .seed(99).build();
        InferenceExport.copyTrainedParameters(ModelFile.load(trainedFile, false).sameDiff(), fresh, trainedFile);
        Path exported = dir.resolve("unet-inference.bs4j");
        InferenceExport.save(fresh, exported, DataType.FLOAT, 32, 32, 3);

        ModelFile.Loaded loaded = ModelFile.load(exported, false);
        assertEquals("inference", loaded.metadata().get("kind"));
        long variables = loaded.sameDiff().variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE).count();
        assertEquals(0, variables, "no trainable variables in an inference export");
        INDArray input = Nd4j.rand(DataType.FLOAT, 5, 32, 32, 3);
        INDArray expected = sd.output(Map.of("x", input), y.name()).get(y.name());
        INDArray actual = loaded.sameDiff().output(Map.of(Inference.INPUT, input), Inference.OUTPUT).get(Inference.OUTPUT);
        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(error <= 1e-5, "max abs difference " + error);
    }
}
