package org.brainstate4j.onnx;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import org.brainstate4j.graph.StaticShapes;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Inference;
import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.Module;
import org.nd4j.linalg.api.buffer.DataType;

/** Builds the ONNX model of a module: its folded, traced inference graph translated to ONNX. */
public final class OnnxModels {
    /** The ONNX operator set the models use (default domain). */
    public static final int OPSET = 13;
    /** ONNX IR version 7, that of the onnx.proto the protobuf classes were generated from. */
    public static final int IR_VERSION = 7;

    private OnnxModels() {}

    /** The model of {@code module} for float32 inputs {@code (batch, *sampleShape)}, batch size dynamic. */
    public static ModelProto of(Module module, long... sampleShape) {
        checkArgument(module != null, "module must not be null");
        requireFloat32(module, module.name());
        Inference.Traced traced = Inference.traced(module, DataType.FLOAT, sampleShape);
        OnnxGraph graph = new OnnxGraph(module.name());
        new GraphTranslator(traced, graph).translate();
        long[] out = StaticShapes.of(traced.graph().getVariable(Inference.OUTPUT)).orElse(new long[0]);
        String doc = String.format("%s '%s': input '%s' float32 (batch, %s), output '%s' float32 (batch, %s)",
                module.typeName(), module.name(), Inference.INPUT, join(sampleShape), Inference.OUTPUT,
                join(out.length > 0 ? Arrays.copyOfRange(out, 1, out.length) : out));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("brainstate4j")
                .setProducerVersion("0.1.0")
                .setDocString(doc)
                .setGraph(graph.build().toBuilder().setDocString(doc))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("module").setValue(module.typeName()))
                .build();
    }

    /** The export writes float32 only; a float64 layer is refused by name rather than silently cast. */
    private static void requireFloat32(Module m, String path) {
        DataType type = m instanceof ConvLayer c ? c.dataType() : m instanceof Linear l ? l.dataType()
                : m instanceof GroupNorm n ? n.dataType() : null;
        checkArgument(type == null || type == DataType.FLOAT,
                "ONNX export: %s '%s' has dataType %s; the export writes float32 models (build the layer with FLOAT)",
                m.typeName(), path, type);
        for (Module child : m.children()) requireFloat32(child, path + "/" + child.name());
    }

    private static String join(long[] shape) {
        return String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList());
    }
}
