package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.Inference;
import org.brainstate4j.nn.Module;
import org.brainstate4j.nn.Network;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.init.Normal;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inference graph (parameters frozen, weight standardization and masks folded into plain
 * kernels) gives the training graph's outputs within 1e-5 and holds no trainable variable.
 */
class InferenceGraphTest {

    /** A WS conv with gain, bias and a mask, then a masked plain conv: everything that folds. */
    static final class MaskedNet extends Network {
        private final ScaledWSConv2d ws;
        private final Conv2d plain;

        MaskedNet() {
            super("masked");
            ws = add(ScaledWSConv2d.builder().inSize(12, 12, 3).outChannels(8).kernelSize(3).seed(1)
                    .biasInit(new Normal(0, 0.1)).weightMask(Nd4j.rand(DataType.FLOAT, 3, 3, 3, 8).gt(0.3).castTo(DataType.FLOAT))
                    .name("ws").build());
            plain = add(Conv2d.builder().inSize(12, 12, 8).outChannels(4).kernelSize(3).stride(2).seed(2)
                    .weightMask(Nd4j.createFromArray(1f, 0f, 1f, 1f)).name("plain").build());
            ws.parameters().get("gain").assign(Nd4j.rand(DataType.FLOAT, 1, 1, 1, 8).addi(0.5));
        }

        @Override
        protected SDVariable forward(SameDiff sd, SDVariable x) {
            return plain.apply(sd, sd.nn().relu(ws.apply(sd, x), 0));
        }
    }

    static Stream<Arguments> models() {
        return Stream.of(
                model("WS SimpleCNN", true, () -> SimpleCNN.builder().weightStandardized(true).seed(3).build(), 32, 32, 3),
                model("WS SimpleUNet width 8", true, () -> SimpleUNet.builder().inSize(32, 32, 3).numClasses(5).width(8)
                        .weightStandardized(true).seed(4).build(), 32, 32, 3),
                model("ConvAutoencoder (nothing to fold)", false,
                        () -> ConvAutoencoder.builder().inSize(32, 32, 3).latentDim(16).seed(5).build(), 32, 32, 3),
                model("masked WS + plain convs", true, MaskedNet::new, 12, 12, 3));
    }

    private static Arguments model(String name, boolean folds, Supplier<Module> m, long... sample) {
        return Arguments.of(Named.of(name, m), folds, sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void foldedGraphMatchesTrainingGraph(Supplier<Module> factory, boolean folds, long[] sample) {
        Module model = factory.get();
        long[] shape = new long[sample.length + 1];
        shape[0] = 3;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        INDArray input = Nd4j.rand(DataType.FLOAT, shape);

        SameDiff training = SameDiff.create();
        SDVariable y = model.apply(training, training.placeHolder("x", DataType.FLOAT, shape));
        INDArray expected = training.output(Map.of("x", input), y.name()).get(y.name());

        SameDiff inference = Inference.graph(model, DataType.FLOAT, sample);
        INDArray actual = inference.output(Map.of(Inference.INPUT, input), Inference.OUTPUT).get(Inference.OUTPUT);

        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(error <= 1e-5, "max abs difference " + error);
        long trainable = inference.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE).count();
        assertEquals(0, trainable, "an inference graph holds no trainable variable");
        int inferenceOps = inference.getOps().size() - 1; // less the identity naming the output
        int trainingOps = training.getOps().size();
        assertTrue(folds ? inferenceOps < trainingOps : inferenceOps == trainingOps,
                "ops: inference " + inferenceOps + ", training " + trainingOps);
    }
}
