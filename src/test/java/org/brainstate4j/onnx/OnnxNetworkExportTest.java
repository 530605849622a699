package org.brainstate4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import onnx.Onnx.ModelProto;
import org.brainstate4j.io.OnnxExport;
import org.brainstate4j.models.ConvAutoencoder;
import org.brainstate4j.models.SimpleCNN;
import org.brainstate4j.models.SimpleUNet;
import org.brainstate4j.nn.Conv1d;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.Conv3d;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.Module;
import org.brainstate4j.nn.Network;
import org.brainstate4j.nn.Ops;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whole networks exported to ONNX: the tutorial networks (plain and weight-standardized) and a
 * composed network using every op the export maps between layers match SameDiff in ONNX Runtime
 * within 1e-5; the file declares a dynamic batch axis; what cannot be exported exactly is refused.
 */
class OnnxNetworkExportTest {

    @TestFactory
    List<DynamicTest> networksMatchSameDiff() {
        return List.of(
                network("SimpleCNN 28x28x1", SimpleCNN.builder().inSize(28, 28, 1).seed(1).build(), 28, 28, 1),
                network("SimpleCNN weight-standardized", SimpleCNN.builder().inSize(28, 28, 1).weightStandardized(true)
                        .seed(2).build(), 28, 28, 1),
                network("ConvAutoencoder 16x16x3", ConvAutoencoder.builder().inSize(16, 16, 3).latentDim(8).seed(3).build(), 16, 16, 3),
                network("SimpleUNet w8 16x16x3", SimpleUNet.builder().inSize(16, 16, 3).numClasses(4).width(8).seed(4).build(), 16, 16, 3),
                network("SimpleUNet weight-standardized", SimpleUNet.builder().inSize(16, 16, 3).numClasses(4).width(8)
                        .weightStandardized(true).seed(5).build(), 16, 16, 3),
                network("composed: channel-first GroupNorm, SAME pooling, permute, softmax, arithmetic, masked Linear",
                        new Composed(), 3, 10, 10),
                network("composed 1-D and 3-D with GroupNorm", new Volumes(), 6, 5, 4, 2),
                network("dilated VALID max pooling", glue("dilated", (sd, h) -> sd.cnn().maxPooling2d(h,
                        Pooling2DConfig.builder().kH(2).kW(3).sH(1).sW(2).dH(2).dW(1).paddingMode(PaddingMode.VALID)
                                .isNHWC(true).build())), 8, 8, 2),
                network("dilated SAME max pooling", glue("dilatedsame", (sd, h) -> sd.cnn().maxPooling2d(h,
                        Pooling2DConfig.builder().kH(3).kW(2).sH(2).sW(3).dH(2).dW(2).paddingMode(PaddingMode.SAME)
                                .isNHWC(true).build())), 8, 8, 2));
    }

    private static DynamicTest network(String name, Module module, long... sample) {
        return DynamicTest.dynamicTest(name, () -> OnnxLayerGridTest.check(name, module, sample));
    }

    @Test
    void batchAxisIsDynamicAndNamesAreDocumented(@TempDir Path dir) throws Exception {
        SimpleCNN cnn = SimpleCNN.builder().inSize(28, 28, 1).seed(6).build();
        Path file = dir.resolve("cnn.onnx");
        OnnxExport.save(cnn, file, 28, 28, 1);
        byte[] bytes = Files.readAllBytes(file);
        ModelProto model = ModelProto.parseFrom(bytes);
        assertEquals(OnnxModels.OPSET, model.getOpsetImport(0).getVersion());
        assertEquals(OnnxModels.IR_VERSION, model.getIrVersion());
        try (OnnxRuntimeRunner ort = new OnnxRuntimeRunner(bytes)) {
            NodeInfo input = ort.session().getInputInfo().get(OnnxExport.INPUT);
            NodeInfo output = ort.session().getOutputInfo().get(OnnxExport.OUTPUT);
            assertEquals("[-1, 28, 28, 1]", Arrays.toString(((TensorInfo) input.getInfo()).getShape()));
            assertEquals("[-1, 10]", Arrays.toString(((TensorInfo) output.getInfo()).getShape()));
            assertEquals(OnnxGraph.BATCH, ((TensorInfo) input.getInfo()).getDimensionNames()[0]);
            for (int batch : new int[] {1, 5}) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 28, 28, 1);
                INDArray expected = OnnxLayerGridTest.sameDiffOutput(cnn, x);
                double error = expected.sub(ort.run(x)).amaxNumber().doubleValue();
                assertTrue(error <= OnnxLayerGridTest.TOLERANCE, "batch " + batch + ": max difference " + error);
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "only the model file is left (atomic write, no temporary file)");
        }
    }

    @Test
    void reluWithCutoffIsRefused() {
        Module m = glue("cutoff", (sd, h) -> sd.nn().relu(h, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.bytes(m, 8, 8, 2));
        assertTrue(e.getMessage().contains("relu 'cutoff/relu' has cutoff 0.5"), e.getMessage());
    }

    @Test
    void opWithoutMappingIsRefusedByName() {
        Module m = glue("absolute", (sd, h) -> sd.math().abs(h));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.bytes(m, 8, 8, 2));
        assertTrue(e.getMessage().startsWith("ONNX export: SameDiff op 'abs'") && e.getMessage().contains("'absolute/abs'")
                && e.getMessage().contains("supported between layers"), e.getMessage());
    }

    @Test
    void explicitPoolingPaddingIsRefused() {
        Module m = glue("pool", (sd, h) -> sd.cnn().maxPooling2d(h, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .pH(1).pW(1).paddingMode(PaddingMode.VALID).isNHWC(true).build()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.bytes(m, 8, 8, 2));
        assertTrue(e.getMessage().contains("maxpool2d 'pool/maxpool2d' has explicit padding pH=1, pW=1"), e.getMessage());
    }

    @Test
    void float64LayerIsRefusedByPath() {
        Module m = new Network("net") {
            private final Conv2d conv = add(Conv2d.builder().inSize(8, 8, 2).outChannels(2).kernelSize(3)
                    .dataType(DataType.DOUBLE).name("conv").build());

            @Override
            protected SDVariable forward(SameDiff sd, SDVariable x) {
                return conv.apply(sd, x);
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.bytes(m, 8, 8, 2));
        assertEquals("ONNX export: Conv2d 'net/conv' has dataType DOUBLE; the export writes float32 models "
                + "(build the layer with FLOAT)", e.getMessage());
    }

    /** A network of one Conv2d on (8, 8, 2) followed by {@code glue}. */
    private static Module glue(String name, BiFunction<SameDiff, SDVariable, SDVariable> glue) {
        return new Network(name) {
            private final Conv2d conv = add(Conv2d.builder().inSize(8, 8, 2).outChannels(2).kernelSize(3).name("conv").build());

            @Override
            protected SDVariable forward(SameDiff sd, SDVariable x) {
                return glue.apply(sd, conv.apply(sd, x));
            }
        };
    }

    /**
     * Channel-first input (3, 10, 10): Conv2d -> GroupNorm (channel-first) -> ReLU -> SAME max pooling
     * (NCHW, 3x3 stride 2) -> permute to channels-last -> scalar and constant arithmetic -> tanh ->
     * concat with a second branch -> reshape to (25, 16) -> masked Linear over the last axis (rank 3)
     * -> softmax.
     */
    private static final class Composed extends Network {
        private final Conv2d conv = add(Conv2d.builder().inSize(3, 10, 10).channelFirst(true).outChannels(8).kernelSize(3)
                .seed(11).name("conv").build());
        private final GroupNorm norm = add(GroupNorm.builder().inSize(8, 10, 10).channelFirst(true).numGroups(2)
                .name("norm").build());
        private final Linear head = add(Linear.builder().inSize(25, 16).outSize(25, 5).seed(12)
                .weightMask(Nd4j.createFromArray(1f, 0f, 1f, 1f, 1f)).name("head").build());

        Composed() {
            super("composed");
        }

        @Override
        protected SDVariable forward(SameDiff sd, SDVariable x) {
            SDVariable h = sd.nn().relu(norm.apply(sd, conv.apply(sd, x)), 0);
            h = sd.cnn().maxPooling2d(h, Pooling2DConfig.builder().kH(3).kW(3).sH(2).sW(2)
                    .paddingMode(PaddingMode.SAME).isNHWC(false).build());          // (N, 8, 5, 5)
            SDVariable last = sd.permute(h, 0, 2, 3, 1);                              // (N, 5, 5, 8)
            SDVariable a = sd.math().tanh(last.mul(0.5).add(sd.constant(Nd4j.linspace(DataType.FLOAT, -1, 1, 8))));
            SDVariable b = sd.nn().sigmoid(last.sub(last.div(3.0)));
            SDVariable both = Ops.concat(sd, -1, a, b);                                // (N, 5, 5, 16)
            SDVariable y = head.apply(sd, sd.reshape(both, -1, 25, 16));              // (N, 25, 5)
            return sd.nn().softmax(y, -1);
        }
    }

    /** Conv1d + GroupNorm on (6, 5) channels-last, and a Conv3d on (5, 4, 2, ...) reached by reshape. */
    private static final class Volumes extends Network {
        private final Conv3d conv3 = add(Conv3d.builder().inSize(6, 5, 4, 2).outChannels(4).kernelSize(3).stride(2)
                .seed(13).name("conv3").build());
        private final Conv1d conv1 = add(Conv1d.builder().inSize(6, 5 * 4 * 2).outChannels(6).kernelSize(3).seed(14)
                .name("conv1").build());
        private final GroupNorm norm = add(GroupNorm.builder().inSize(6, 6).numGroups(3).name("norm").build());

        Volumes() {
            super("volumes");
        }

        @Override
        protected SDVariable forward(SameDiff sd, SDVariable x) {
            SDVariable volume = sd.nn().relu(conv3.apply(sd, x), 0);                  // (N, 3, 3, 2, 4)
            SDVariable sequence = conv1.apply(sd, sd.reshape(x, -1, 6, 40));          // (N, 6, 6)
            SDVariable normed = norm.apply(sd, sequence);
            return Ops.concat(sd, 1, sd.reshape(volume, -1, 72), sd.reshape(normed, -1, 36));
        }
    }
}
