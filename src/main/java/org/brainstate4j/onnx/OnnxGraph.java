package org.brainstate4j.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * A growing ONNX graph: nodes in topological order, constant tensors as initializers, and unique
 * value names derived from the brainstate4j path of what produced them ({@code enc1/conv}).
 */
final class OnnxGraph {
    /** The symbolic name of the batch dimension of the graph's input and output. */
    static final String BATCH = "batch";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Tensor> arranged = new HashMap<>();

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... if taken. */
    String fresh(String base) {
        String name = base;
        for (int i = 1; !names.add(name); i++) name = base + "_" + i;
        return name;
    }

    /** Adds a node with one output named after {@code outputBase}; returns that output's name. */
    String node(String opType, String outputBase, List<String> inputs, AttributeProto... attributes) {
        String output = fresh(outputBase);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(output).addOutput(output);
        inputs.forEach(n::addInput);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return output;
    }

    /** A float32 initializer holding {@code value} (C order); returns its name. */
    String floats(String base, INDArray value) {
        INDArray c = value.castTo(DataType.FLOAT).dup('c');
        float[] data = c.data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) bytes.putFloat(f);
        return initializer(base, TensorProto.DataType.FLOAT, c.shape(), bytes.array());
    }

    /** A float32 scalar initializer. */
    String scalar(String base, double value) {
        ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) value);
        return initializer(base, TensorProto.DataType.FLOAT, new long[0], bytes.array());
    }

    /** A 1-D int64 initializer (shapes, pads, axes). */
    String longs(String base, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) bytes.putLong(v);
        return initializer(base, TensorProto.DataType.INT64, new long[] {values.length}, bytes.array());
    }

    private String initializer(String base, TensorProto.DataType type, long[] shape, byte[] raw) {
        String name = fresh(base);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : shape) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** Declares a float32 graph input; {@code -1} in {@code shape} becomes the symbolic batch axis. */
    void input(String name, long[] shape) {
        names.add(name);
        graph.addInput(valueInfo(name, shape));
    }

    /** Declares a float32 graph output (its producing node must already be added). */
    void output(String name, long[] shape) {
        graph.addOutput(valueInfo(name, shape));
    }

    private static ValueInfoProto valueInfo(String name, long[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s);
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /**
     * {@code t} stored with ONNX axis {@code j} holding logical axis {@code wanted[j]}: {@code t} itself
     * when it already is, else one {@code Transpose} (made once per value and layout).
     */
    Tensor arrange(Tensor t, int[] wanted) {
        if (Arrays.equals(t.perm(), wanted)) return t;
        String key = t.name() + Arrays.toString(wanted);
        Tensor cached = arranged.get(key);
        if (cached != null) return cached;
        int[] axes = new int[wanted.length];
        for (int j = 0; j < wanted.length; j++) axes[j] = t.onnxAxis(wanted[j]);
        String name = node("Transpose", t.name() + "_transposed", in(t.name()), ints("perm", axes));
        Tensor out = new Tensor(name, t.shape(), wanted.clone());
        arranged.put(key, out);
        return out;
    }

    GraphProto build() {
        return graph.build();
    }

    // ---- attributes -------------------------------------------------------------------------

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    static AttributeProto ints(String name, int... values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) longs[i] = values[i];
        return ints(name, longs);
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static List<String> in(String... inputs) {
        return new ArrayList<>(List.of(inputs));
    }
}
