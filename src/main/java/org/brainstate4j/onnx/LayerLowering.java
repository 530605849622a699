package org.brainstate4j.onnx;

import static org.brainstate4j.onnx.OnnxGraph.in;
import static org.brainstate4j.onnx.OnnxGraph.ints;

import java.util.List;
import java.util.Map;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.ConvSpec;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX for brainstate4j's layers, written from their configuration ({@link ConvSpec} and the folded
 * parameters), not from the DL4J ops they emit:
 * <ul>
 *   <li>forward convolution (Conv, ScaledWSConv): ONNX {@code Conv} with BrainState's resolved
 *       {@code (lo, hi)} padding as explicit {@code pads} (SAME, VALID and every explicit form alike),
 *       {@code group}, {@code dilations}; negative padding (a crop) is a {@code Slice} before it, and
 *       input dilation inserts its zeros with Reshape + Pad + Reshape;</li>
 *   <li>transposed convolution: ONNX {@code ConvTranspose} (the gradient-style form, unflipped
 *       kernel) whose {@code pads} crop {@code ek - 1 - lo} / {@code ek - 1 - hi}; where BrainState
 *       pads more than that, the missing rows are a {@code Pad} after it and the bias is added last;</li>
 *   <li>{@code Linear}: MatMul + Add on the folded weight (mask multiplied in);</li>
 *   <li>{@code GroupNorm}: its exact decomposition (ONNX's GroupNormalization needs opset 18 and takes
 *       a per-group scale until opset 21): Reshape, ReduceMean of x, the centered x, ReduceMean of its
 *       squares as the variance, {@code (x - mean) / sqrt(var + eps)}, per-channel scale and bias.</li>
 * </ul>
 * Convolutions and GroupNorm work on channels-first data; {@link OnnxGraph#arrange} transposes a
 * channels-last input only if it is not already stored channels-first.
 */
final class LayerLowering {
    private LayerLowering() {}

    /** True for the modules lowered here as one unit; any other module is translated op by op. */
    static boolean lowers(Module m) {
        return m instanceof ConvLayer || m instanceof Linear || m instanceof GroupNorm;
    }

    static Tensor lower(OnnxGraph g, Module m, Tensor x, String scope) {
        if (m instanceof ConvLayer c) return c.spec().transposed() ? transposed(g, c, x, scope) : forward(g, c, x, scope);
        if (m instanceof Linear l) return linear(g, l, x, scope);
        if (m instanceof GroupNorm n) return groupNorm(g, n, x, scope);
        throw new IllegalStateException("not lowered as a unit: " + m.typeName());
    }

    // ---- convolutions -----------------------------------------------------------------------

    private static Tensor forward(OnnxGraph g, ConvLayer layer, Tensor x, String scope) {
        ConvSpec spec = layer.spec();
        int n = spec.spatialDims();
        int[] layout = convLayout(spec);
        Tensor arranged = g.arrange(x, layout);
        String cur = arranged.name();
        long[] shape = arranged.onnxShape(); // (batch, C, *spatial)
        int[][] pads = new int[n][];
        for (int i = 0; i < n; i++) pads[i] = spec.pads(i);

        int[] lhs = spec.lhsDilation();
        for (int i = 0; i < n; i++) {
            if (lhs[i] == 1) continue;
            cur = zerosAfterEach(g, cur, shape, 2 + i, lhs[i], scope);
            // the last element's f - 1 zeros are not part of the dilated input
            pads[i][1] -= lhs[i] - 1;
        }
        cur = cropNegative(g, cur, shape, pads, scope);

        long[] convPads = new long[2 * n];
        for (int i = 0; i < n; i++) {
            convPads[i] = Math.max(0, pads[i][0]);
            convPads[n + i] = Math.max(0, pads[i][1]);
        }
        // (*k, I/g, O) -> ONNX (O, I/g, *k)
        int[] toOnnx = new int[n + 2];
        toOnnx[0] = n + 1;
        toOnnx[1] = n;
        for (int i = 0; i < n; i++) toOnnx[2 + i] = i;
        INDArray kernel = layer.foldedKernel().permute(toOnnx).dup('c');
        List<String> inputs = in(cur, g.floats(scope + "/kernel", kernel));
        layer.bias().ifPresent(b -> inputs.add(g.floats(scope + "/bias", b.reshape(spec.outChannels()))));
        String y = g.node("Conv", scope + "/conv", inputs,
                ints("kernel_shape", spec.kernelSize()), ints("strides", spec.stride()),
                ints("dilations", spec.rhsDilation()), OnnxGraph.integer("group", spec.groups()),
                ints("pads", convPads));
        return new Tensor(y, batched(spec.outSize()), layout);
    }

    private static Tensor transposed(OnnxGraph g, ConvLayer layer, Tensor x, String scope) {
        ConvSpec spec = layer.spec();
        int n = spec.spatialDims();
        int groups = spec.groups();
        int[] layout = convLayout(spec);
        Tensor arranged = g.arrange(x, layout);
        long[] crops = new long[2 * n];
        long[] appended = new long[2 * (n + 2)];
        boolean appends = false;
        for (int i = 0; i < n; i++) {
            int edge = spec.effectiveKernel(i) - 1;
            int[] p = spec.pads(i);
            for (int side = 0; side < 2; side++) {
                int crop = edge - p[side];
                crops[side * n + i] = Math.max(0, crop);
                appended[side * (n + 2) + 2 + i] = Math.max(0, -crop);
                appends |= crop < 0;
            }
        }
        // BrainState's (*k, O, I/g), group-major in O, -> ONNX (I, O/g, *k): W[c, o, t] = w[t, group(c) * O/g + o, c mod I/g]
        long[] k = spec.kernelShape();
        long outPerGroup = spec.outChannels() / groups;
        long inPerGroup = spec.inChannels() / groups;
        long[] split = new long[n + 3];
        for (int i = 0; i < n; i++) split[i] = k[i];
        split[n] = groups;
        split[n + 1] = outPerGroup;
        split[n + 2] = inPerGroup;
        int[] toOnnx = new int[n + 3];
        toOnnx[0] = n;
        toOnnx[1] = n + 2;
        toOnnx[2] = n + 1;
        for (int i = 0; i < n; i++) toOnnx[3 + i] = i;
        long[] onnxKernel = new long[n + 2];
        onnxKernel[0] = spec.inChannels();
        onnxKernel[1] = outPerGroup;
        for (int i = 0; i < n; i++) onnxKernel[2 + i] = k[i];
        INDArray kernel = layer.foldedKernel().dup('c').reshape('c', split).permute(toOnnx).dup('c').reshape('c', onnxKernel);

        List<String> inputs = in(arranged.name(), g.floats(scope + "/kernel", kernel));
        INDArray bias = layer.bias().map(b -> b.reshape(spec.outChannels())).orElse(null);
        if (bias != null && !appends) inputs.add(g.floats(scope + "/bias", bias));
        String y = g.node("ConvTranspose", scope + "/conv_transpose", inputs,
                ints("kernel_shape", spec.kernelSize()), ints("strides", spec.stride()),
                ints("dilations", spec.rhsDilation()), OnnxGraph.integer("group", groups), ints("pads", crops));
        if (appends) {
            // BrainState pads the dilated input beyond the kernel's reach: zero rows, then the bias on all
            y = g.node("Pad", scope + "/pad", in(y, g.longs(scope + "/pad_amounts", appended)));
            if (bias != null) {
                long[] broadcast = new long[n + 1];
                java.util.Arrays.fill(broadcast, 1);
                broadcast[0] = spec.outChannels();
                y = g.node("Add", scope + "/add_bias", in(y, g.floats(scope + "/bias", bias.reshape(broadcast))));
            }
        }
        return new Tensor(y, batched(spec.outSize()), layout);
    }

    /** Channels-first storage of the layer's input and output, whatever its logical layout. */
    private static int[] convLayout(ConvSpec spec) {
        int rank = spec.spatialDims() + 2;
        return Tensor.channelsFirst(rank, spec.channelFirst() ? 1 : rank - 1);
    }

    /**
     * {@code f - 1} zeros after every element along {@code axis} of {@code x} (static {@code shape},
     * updated): Reshape to a unit axis after it, Pad that axis to {@code f}, Reshape back.
     */
    private static String zerosAfterEach(OnnxGraph g, String x, long[] shape, int axis, int f, String scope) {
        int rank = shape.length;
        long[] unit = new long[rank + 1];
        long[] padAmounts = new long[2 * (rank + 1)];
        for (int i = 0, j = 0; i < rank; i++) {
            unit[j++] = i == 0 ? 0 : shape[i]; // 0: keep the (dynamic) batch size
            if (i == axis) unit[j++] = 1;
        }
        padAmounts[(rank + 1) + axis + 1] = f - 1;
        String y = g.node("Reshape", scope + "/dilate_unit", in(x, g.longs(scope + "/dilate_unit_shape", unit)));
        y = g.node("Pad", scope + "/dilate_pad", in(y, g.longs(scope + "/dilate_pad_amounts", padAmounts)));
        shape[axis] *= f;
        long[] merged = shape.clone();
        merged[0] = 0;
        return g.node("Reshape", scope + "/dilated", in(y, g.longs(scope + "/dilated_shape", merged)));
    }

    /** Slices off negative padding (BrainState's crops) along the spatial axes; {@code shape} is updated. */
    private static String cropNegative(OnnxGraph g, String x, long[] shape, int[][] pads, String scope) {
        int n = pads.length;
        long[] starts = new long[n];
        long[] ends = new long[n];
        long[] axes = new long[n];
        boolean crops = false;
        for (int i = 0; i < n; i++) {
            long lo = Math.max(0, -pads[i][0]);
            long hi = Math.max(0, -pads[i][1]);
            crops |= lo > 0 || hi > 0;
            starts[i] = lo;
            ends[i] = shape[2 + i] - hi;
            axes[i] = 2 + i;
            shape[2 + i] -= lo + hi;
        }
        if (!crops) return x;
        return g.node("Slice", scope + "/crop", in(x, g.longs(scope + "/crop_starts", starts),
                g.longs(scope + "/crop_ends", ends), g.longs(scope + "/crop_axes", axes)));
    }

    // ---- Linear and GroupNorm ---------------------------------------------------------------

    private static Tensor linear(OnnxGraph g, Linear layer, Tensor x, String scope) {
        Tensor arranged = g.arrange(x, Tensor.identity(x.rank()));
        String y = g.node("MatMul", scope + "/matmul", in(arranged.name(), g.floats(scope + "/weight", layer.foldedWeight())));
        if (layer.bias().isPresent()) y = g.node("Add", scope + "/add", in(y, g.floats(scope + "/bias", layer.bias().get())));
        long[] shape = x.shape().clone();
        long[] out = layer.outSize();
        shape[shape.length - 1] = out[out.length - 1];
        return Tensor.logical(y, shape);
    }

    private static Tensor groupNorm(OnnxGraph g, GroupNorm norm, Tensor x, String scope) {
        int rank = x.rank();
        int[] layout = Tensor.channelsFirst(rank, norm.channelFirst() ? 1 : rank - 1);
        Tensor arranged = g.arrange(x, layout);
        long[] shape = arranged.onnxShape(); // (batch, C, *other)
        long channels = shape[1];
        String xg = g.node("Reshape", scope + "/grouped", in(arranged.name(), g.longs(scope + "/grouped_shape", 0, norm.numGroups(), -1)));
        var reduce = ints("axes", 2L);
        // the variance as the mean of centered squares, as nn.GroupNorm computes it: BrainState's
        // max(0, E[x^2] - E[x]^2) in exact arithmetic, without its float32 cancellation
        String mean = g.node("ReduceMean", scope + "/mean", in(xg), reduce);
        String centered = g.node("Sub", scope + "/centered", in(xg, mean));
        String variance = g.node("ReduceMean", scope + "/variance", in(g.node("Mul", scope + "/square", in(centered, centered))), reduce);
        String std = g.node("Sqrt", scope + "/std", in(g.node("Add", scope + "/variance_eps", in(variance, g.scalar(scope + "/epsilon", norm.epsilon())))));
        String normalized = g.node("Div", scope + "/normalized", in(centered, std));
        long[] restored = shape.clone();
        restored[0] = 0;
        String y = g.node("Reshape", scope + "/restored", in(normalized, g.longs(scope + "/restored_shape", restored)));
        long[] perChannel = new long[rank - 1];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = channels;
        Map<String, INDArray> p = norm.parameters();
        if (p.containsKey("scale")) y = g.node("Mul", scope + "/scaled", in(y, g.floats(scope + "/scale", p.get("scale").reshape(perChannel))));
        if (p.containsKey("bias")) y = g.node("Add", scope + "/shifted", in(y, g.floats(scope + "/bias", p.get("bias").reshape(perChannel))));
        return new Tensor(y, x.shape(), layout);
    }

    private static long[] batched(long[] sample) {
        long[] out = new long[sample.length + 1];
        out[0] = -1;
        System.arraycopy(sample, 0, out, 1, sample.length);
        return out;
    }
}
