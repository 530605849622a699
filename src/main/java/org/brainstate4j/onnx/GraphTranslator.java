package org.brainstate4j.onnx;

import static org.brainstate4j.Checks.checkArgument;
import static org.brainstate4j.onnx.OnnxGraph.in;
import static org.brainstate4j.onnx.OnnxGraph.ints;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.brainstate4j.graph.StaticShapes;
import org.brainstate4j.nn.Inference;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.shape.Concat;
import org.nd4j.linalg.api.ops.impl.shape.Permute;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;

/**
 * Translates a traced inference graph ({@link Inference#traced}) into ONNX, walking back from the
 * output. A variable produced by a brainstate4j layer (convolutions, Linear, GroupNorm) is written
 * from the layer's configuration by {@link LayerLowering}, skipping the DL4J ops the layer emitted;
 * every other variable is translated from the SameDiff op that produced it (the glue a network's
 * {@code forward} writes: activations, pooling, concat, reshape, permute, arithmetic). An op without
 * an exact ONNX counterpart is refused, naming the op, the variable it produces and what is supported.
 */
final class GraphTranslator {
    static final String SUPPORTED_OPS = "identity, relu (cutoff 0), sigmoid, tanh, softmax, maxpool2d (SAME or VALID), "
            + "concat, reshape (C order), permute, add, sub, mul, div and their scalar forms";

    private final SameDiff sd;
    private final OnnxGraph g;
    private final Map<String, Inference.Application> layerOutputs = new HashMap<>();
    private final Map<String, Tensor> translated = new HashMap<>();

    GraphTranslator(Inference.Traced traced, OnnxGraph g) {
        this.sd = traced.graph();
        this.g = g;
        for (Inference.Application a : traced.applications()) {
            if (LayerLowering.lowers(a.module())) layerOutputs.put(a.output(), a);
        }
    }

    /** Declares the input, translates everything the output depends on, declares the output. */
    void translate() {
        long[] inputShape = sd.getVariable(Inference.INPUT).getShape();
        g.input(Inference.INPUT, inputShape);
        translated.put(Inference.INPUT, Tensor.logical(Inference.INPUT, inputShape));
        Tensor y = resolve(Inference.OUTPUT);
        Tensor logical = g.arrange(y, Tensor.identity(y.rank()));
        g.node("Identity", Inference.OUTPUT, in(logical.name()));
        g.output(Inference.OUTPUT, y.shape());
    }

    private Tensor resolve(String variable) {
        Tensor done = translated.get(variable);
        if (done != null) return done;
        Tensor t;
        Inference.Application layer = layerOutputs.get(variable);
        SDVariable v = sd.getVariable(variable);
        if (layer != null) {
            t = LayerLowering.lower(g, layer.module(), resolve(layer.input()), scopeOf(variable));
        } else if (v.getVariableType() == VariableType.CONSTANT) {
            t = Tensor.logical(g.floats(variable, v.getArr()), v.getArr().shape());
        } else {
            checkArgument(v.getVariableType() == VariableType.ARRAY,
                    "ONNX export: variable '%s' is a %s; an exported graph has one placeholder ('%s') and no trainable variables",
                    variable, v.getVariableType(), Inference.INPUT);
            t = op(sd.getVariableOutputOp(variable), variable);
        }
        translated.put(variable, t);
        return t;
    }

    private Tensor op(DifferentialFunction f, String variable) {
        String[] inputs = f.argNames();
        if (f instanceof Identity) return resolve(inputs[0]);
        if (f instanceof RectifiedLinear) {
            double cutoff = scalarOf(f);
            checkArgument(cutoff == 0.0, "ONNX export: relu '%s' has cutoff %s; only cutoff 0 maps to ONNX Relu exactly",
                    variable, cutoff);
            return unary("Relu", resolve(inputs[0]), variable);
        }
        if (f instanceof Sigmoid) return unary("Sigmoid", resolve(inputs[0]), variable);
        if (f instanceof Tanh) return unary("Tanh", resolve(inputs[0]), variable);
        if (f instanceof SoftMax s) return softmax(s, resolve(inputs[0]), variable);
        if (f instanceof MaxPooling2D p) return maxPool(p.getConfig(), resolve(inputs[0]), variable);
        if (f instanceof Concat c) return concat(c, inputs, variable);
        if (f instanceof Reshape r) return reshape(r, inputs, variable);
        if (f instanceof Permute p) return permute(p, inputs, variable);
        if (f instanceof AddOp) return binary("Add", inputs, variable);
        if (f instanceof SubOp) return binary("Sub", inputs, variable);
        if (f instanceof MulOp) return binary("Mul", inputs, variable);
        if (f instanceof DivOp) return binary("Div", inputs, variable);
        String scalarOp = f instanceof ScalarAdd ? "Add" : f instanceof ScalarSubtraction ? "Sub"
                : f instanceof ScalarMultiplication ? "Mul" : f instanceof ScalarDivision ? "Div" : null;
        if (scalarOp != null) {
            Tensor x = resolve(inputs[0]);
            String y = g.node(scalarOp, variable, in(x.name(), g.scalar(variable + "_scalar", scalarOf(f))));
            return new Tensor(y, x.shape(), x.perm());
        }
        throw new IllegalArgumentException(String.format(
                "ONNX export: SameDiff op '%s' (%s, producing '%s') has no ONNX mapping; supported between layers: %s",
                f.opName(), f.getClass().getSimpleName(), variable, SUPPORTED_OPS));
    }

    private static double scalarOf(DifferentialFunction f) {
        INDArray s = ((ScalarOp) f).scalar();
        checkArgument(s != null, "ONNX export: scalar op '%s' holds no scalar value", f.getOwnName());
        return s.getDouble(0);
    }

    private Tensor unary(String opType, Tensor x, String variable) {
        return new Tensor(g.node(opType, variable, in(x.name())), x.shape(), x.perm());
    }

    private Tensor softmax(SoftMax s, Tensor x, String variable) {
        long[] iArgs = s.iArgs();
        int axis = iArgs.length > 0 ? (int) iArgs[0] : -1;
        int logical = axis < 0 ? axis + x.rank() : axis;
        String y = g.node("Softmax", variable, in(x.name()), OnnxGraph.integer("axis", x.onnxAxis(logical)));
        return new Tensor(y, x.shape(), x.perm());
    }

    private Tensor maxPool(Pooling2DConfig c, Tensor x, String variable) {
        checkArgument(c.getPaddingMode() != PaddingMode.CAUSAL,
                "ONNX export: maxpool2d '%s' uses CAUSAL padding, which has no ONNX MaxPool form; use SAME or VALID", variable);
        checkArgument(c.getPaddingMode() == PaddingMode.SAME || (c.getPH() == 0 && c.getPW() == 0),
                "ONNX export: maxpool2d '%s' has explicit padding pH=%s, pW=%s; only SAME or VALID without pH/pW is exported",
                variable, c.getPH(), c.getPW());
        int channelAxis = c.isNHWC() ? 3 : 1;
        Tensor arranged = g.arrange(x, Tensor.channelsFirst(4, channelAxis));
        long[] shape = arranged.onnxShape();
        long[] kernel = {c.getKH(), c.getKW()};
        long[] stride = {c.getSH(), c.getSW()};
        long[] dilation = {c.getDH(), c.getDW()};
        long[] pads = new long[4];
        long[] outShape = x.shape().clone();
        for (int i = 0; i < 2; i++) {
            long in = shape[2 + i];
            long ek = (kernel[i] - 1) * dilation[i] + 1;
            long out;
            if (c.getPaddingMode() == PaddingMode.SAME) {
                out = (in + stride[i] - 1) / stride[i];
                long total = Math.max((out - 1) * stride[i] + ek - in, 0);
                pads[i] = total / 2;
                pads[2 + i] = total - total / 2;
            } else {
                out = (in - ek) / stride[i] + 1;
            }
            outShape[c.isNHWC() ? 1 + i : 2 + i] = out;
        }
        String y = g.node("MaxPool", variable, in(arranged.name()), ints("kernel_shape", kernel), ints("strides", stride),
                ints("dilations", dilation), ints("pads", pads));
        return new Tensor(y, outShape, arranged.perm());
    }

    private Tensor concat(Concat c, String[] inputs, String variable) {
        Tensor first = resolve(inputs[0]);
        int rank = first.rank();
        int axis = (int) c.iArgs()[0];
        int logical = axis < 0 ? axis + rank : axis;
        String[] names = new String[inputs.length];
        long[] shape = first.shape().clone();
        shape[logical] = 0;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = g.arrange(resolve(inputs[i]), first.perm());
            names[i] = t.name();
            shape[logical] += t.shape()[logical];
        }
        String y = g.node("Concat", variable, in(names), OnnxGraph.integer("axis", first.onnxAxis(logical)));
        return new Tensor(y, shape, first.perm());
    }

    private Tensor reshape(Reshape r, String[] inputs, String variable) {
        long[] target;
        if (inputs.length > 1) {
            target = constantArray(inputs[1], variable).toLongVector();
        } else {
            long[] iArgs = r.iArgs();
            checkArgument(iArgs.length > 0 && (iArgs[0] == -99 || iArgs[0] > 0 || iArgs[0] == -1),
                    "ONNX export: reshape '%s' uses Fortran order; only C order maps to ONNX Reshape", variable);
            target = iArgs[0] == -99 ? Arrays.copyOfRange(iArgs, 1, iArgs.length) : iArgs;
        }
        Tensor x = g.arrange(resolve(inputs[0]), Tensor.identity(resolve(inputs[0]).rank()));
        String y = g.node("Reshape", variable, in(x.name(), g.longs(variable + "_shape", target)));
        return Tensor.logical(y, shapeOf(variable, target));
    }

    private Tensor permute(Permute p, String[] inputs, String variable) {
        Tensor x = resolve(inputs[0]);
        long[] dims = inputs.length > 1 ? constantArray(inputs[1], variable).toLongVector() : p.iArgs();
        int rank = x.rank();
        int[] order = new int[rank];
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = (int) (dims[i] < 0 ? dims[i] + rank : dims[i]);
            inverse[order[i]] = i;
        }
        // no node: the stored data stays, only which logical axis each ONNX axis holds changes
        long[] shape = new long[rank];
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = x.shape()[order[i]];
            perm[i] = inverse[x.perm()[i]];
        }
        return new Tensor(x.name(), shape, perm);
    }

    private Tensor binary(String opType, String[] inputs, String variable) {
        Tensor a = resolve(inputs[0]);
        Tensor b = resolve(inputs[1]);
        boolean sameLayout = a.rank() == b.rank() && Arrays.equals(a.perm(), b.perm());
        if (!sameLayout) {
            a = g.arrange(a, Tensor.identity(a.rank()));
            b = g.arrange(b, Tensor.identity(b.rank()));
        }
        String y = g.node(opType, variable, in(a.name(), b.name()));
        Tensor wider = a.rank() >= b.rank() ? a : b;
        return new Tensor(y, shapeOf(variable, wider.shape()), wider.perm());
    }

    private INDArray constantArray(String name, String user) {
        SDVariable v = sd.getVariable(name);
        checkArgument(v.getVariableType() == VariableType.CONSTANT && v.getArr() != null,
                "ONNX export: '%s' takes its shape from '%s', which is not a constant", user, name);
        return v.getArr();
    }

    /** The static shape of {@code variable} (batch {@code -1}); {@code fallback} when it cannot be inferred. */
    private long[] shapeOf(String variable, long[] fallback) {
        return StaticShapes.of(sd.getVariable(variable)).orElse(fallback);
    }

    /** {@code unet/enc1} for {@code unet/enc1/conv2d}. */
    private static String scopeOf(String variable) {
        int slash = variable.lastIndexOf('/');
        return slash < 0 ? variable : variable.substring(0, slash);
    }
}
