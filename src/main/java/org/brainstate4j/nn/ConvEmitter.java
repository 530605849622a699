package org.brainstate4j.nn;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

import org.brainstate4j.graph.NativeBackend;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a {@link ConvSpec} into DL4J ops. DL4J has conv2d/conv3d/deconv2d/deconv3d/depthwise but
 * no groups, no input dilation, no asymmetric padding and no 1-D deconvolution, so:
 * <ul>
 *   <li>1-D is lifted to 2-D (a unit axis before the spatial one) and lowered again;</li>
 *   <li>padding uses the op's SAME mode or symmetric padding when either equals BrainState's
 *       {@code (lo, hi)}, otherwise an explicit pad/crop of the input;</li>
 *   <li>input dilation inserts zeros with expand + pad + reshape;</li>
 *   <li>kernel dilation is the op's own, except where the native build cannot run it (OneDNN in
 *       FLOAT, see {@link NativeBackend}): there the same zeros are inserted into the kernel; on
 *       that build 3-D padding is always a pad op (conv3d's weight gradient can be wrong with the
 *       op's own padding);</li>
 *   <li>groups split input and kernel and concatenate the results (depthwise 2-D uses its own op);</li>
 *   <li>transposed convolution is DL4J's deconvolution (the adjoint of conv, i.e. BrainState's
 *       flipped-kernel form) at zero padding, cropped by {@code ek - 1 - lo} / {@code ek - 1 - hi}
 *       per axis (a negative crop appends zeros); a symmetric crop is the op's own padding.</li>
 * </ul>
 */
final class ConvEmitter {
    private ConvEmitter() {}

    /** The convolution of batched {@code x} (rank n+2) with {@code kernel}; {@code bias} may be null. */
    static SDVariable emit(SameDiff sd, ConvSpec spec, SDVariable x, SDVariable kernel, SDVariable bias) {
        Geometry g = Geometry.of(spec);
        boolean lifted = spec.spatialDims() == 1;
        long[] kernelShape = spec.kernelShape();
        if (lifted) {
            // Axis plumbing by reshape (static shapes): the gradient of squeeze on tensors with
            // several unit axes loses axes in DL4J 1.0.0-M2.1 (conv2d_bp then gets a rank-2 gradient).
            x = sd.reshape(x, g.inputShape());
            long[] liftedKernel = new long[kernelShape.length + 1];
            liftedKernel[0] = 1;
            System.arraycopy(kernelShape, 0, liftedKernel, 1, kernelShape.length);
            kernel = sd.reshape(kernel, liftedKernel);
            kernelShape = liftedKernel;
        }
        if (g.hasKernelDilation() && NativeBackend.dilatedConvolutionFails(kernel.dataType())) {
            kernel = dilateKernel(sd, g, kernel, kernelShape);
            g = g.undilated();
        }
        SDVariable y = spec.transposed() ? transposed(sd, g, x, kernel, bias) : forward(sd, g, x, kernel, bias);
        if (!lifted) return y;
        long[] out = spec.outSize();
        long[] batched = new long[out.length + 1];
        batched[0] = -1;
        System.arraycopy(out, 0, batched, 1, out.length);
        return sd.reshape(y, batched);
    }

    /**
     * The kernel with {@code d - 1} zeros between taps on each dilated axis (the trailing zeros cut
     * off); {@link Geometry#undilated()} describes the op that takes it. {@code g} is not changed.
     */
    private static SDVariable dilateKernel(SameDiff sd, Geometry g, SDVariable kernel, long[] kernelShape) {
        long[] shape = kernelShape.clone();
        for (int i = 0; i < g.dims; i++) {
            int f = g.rhsDilation[i];
            if (f == 1) continue;
            kernel = zerosAfterEach(sd, kernel, shape, i, f);
            SDIndex[] index = new SDIndex[shape.length];
            Arrays.fill(index, SDIndex.all());
            int effective = g.effectiveKernel(i);
            index[i] = SDIndex.interval(0, effective);
            kernel = kernel.get(index);
            shape[i] = effective;
        }
        return kernel;
    }

    /**
     * {@code x} (of static {@code shape}) with {@code f - 1} zeros after each element along {@code axis}:
     * [.., L, ..] -> [.., L, 1, ..] -> pad to [.., L, f, ..] -> [.., L*f, ..]. Updates {@code shape}.
     */
    private static SDVariable zerosAfterEach(SameDiff sd, SDVariable x, long[] shape, int axis, int f) {
        long[] withUnitAxis = new long[shape.length + 1];
        System.arraycopy(shape, 0, withUnitAxis, 0, axis + 1);
        withUnitAxis[axis + 1] = 1;
        System.arraycopy(shape, axis + 1, withUnitAxis, axis + 2, shape.length - axis - 1);
        x = sd.reshape(x, withUnitAxis);
        int[][] unitPad = new int[shape.length + 1][2];
        unitPad[axis + 1][1] = f - 1;
        x = sd.nn().pad(x, sd.constant(Nd4j.createFromArray(unitPad)), PadMode.CONSTANT, 0.0);
        shape[axis] *= f;
        return sd.reshape(x, shape);
    }

    // ---- forward ----------------------------------------------------------------------------

    private static SDVariable forward(SameDiff sd, Geometry g, SDVariable x, SDVariable kernel, SDVariable bias) {
        long[] shape = g.inputShape();
        int[][] pads = g.pads();
        for (int i = 0; i < g.dims; i++) {
            int f = g.lhsDilation[i];
            if (f == 1) continue;
            // The last element's f-1 zeros are not part of the dilated input: take them off the high pad.
            x = zerosAfterEach(sd, x, shape, g.spatialAxis(i), f);
            pads[i][1] -= f - 1;
        }

        // On the OneDNN build conv3d's own padding can give a wrong weight gradient: pad explicitly.
        boolean opPadsFail = g.dims == 3 && NativeBackend.conv3dPaddingFails(kernel.dataType());
        boolean sameMode = !opPadsFail;
        boolean symmetric = !opPadsFail;
        for (int i = 0; i < g.dims; i++) {
            long in = shape[g.spatialAxis(i)];
            int[] same = ConvSpec.samePadding(in, g.effectiveKernel(i), g.stride[i]);
            // libnd4j's SAME computes the low pad as total/2 without clamping a negative total at 0
            // (kernel smaller than the stride), shifting the window; use it only where no clamping happens
            // (canary: Dl4jM21CanaryTest.sameModeShiftsTheWindowWhenTheKernelIsSmallerThanTheStride).
            long outSame = (in + g.stride[i] - 1) / g.stride[i];
            boolean unclamped = (outSame - 1) * g.stride[i] + g.effectiveKernel(i) - in >= 0;
            sameMode &= unclamped && Arrays.equals(pads[i], same);
            symmetric &= pads[i][0] == pads[i][1] && pads[i][0] >= 0;
        }
        int[] opPadding = new int[g.dims];
        if (!sameMode) {
            if (symmetric) {
                for (int i = 0; i < g.dims; i++) opPadding[i] = pads[i][0];
            } else {
                x = padOrCrop(sd, g, x, shape, pads);
            }
        }

        if (g.groups == 1) {
            return convOp(sd, g, x, kernel, reshapedBias(sd, g, bias, false), opPadding, sameMode);
        }
        if (g.dims == 2 && g.groups == g.inChannels) {
            // Depthwise: kernel (kH, kW, 1, C*m) read as (kH, kW, C, m); output channel c*m + j in both.
            SDVariable depthwise = sd.reshape(kernel, g.kernel[0], g.kernel[1], g.inChannels, g.outChannels / g.inChannels);
            Conv2DConfig config = conv2dConfig(g, opPadding, sameMode);
            SDVariable b = reshapedBias(sd, g, bias, false);
            return b == null ? sd.cnn().depthWiseConv2d(x, depthwise, config)
                    : sd.cnn().depthWiseConv2d(x, depthwise, b, config);
        }
        SDVariable[] inputs = sd.split(x, g.groups, g.channelAxis());
        SDVariable[] kernels = sd.split(kernel, g.groups, g.dims + 1);
        SDVariable[] outputs = new SDVariable[g.groups];
        for (int i = 0; i < g.groups; i++) {
            outputs[i] = convOp(sd, g, inputs[i], kernels[i], null, opPadding, sameMode);
        }
        SDVariable y = sd.concat(g.channelAxis(), outputs);
        return bias == null ? y : y.add(reshapedBias(sd, g, bias, true));
    }

    private static SDVariable convOp(SameDiff sd, Geometry g, SDVariable x, SDVariable w, SDVariable b,
                                     int[] padding, boolean sameMode) {
        if (g.dims == 2) {
            Conv2DConfig config = conv2dConfig(g, padding, sameMode);
            return b == null ? sd.cnn().conv2d(x, w, config) : sd.cnn().conv2d(x, w, b, config);
        }
        Conv3DConfig config = Conv3DConfig.builder()
                .kD(g.kernel[0]).kH(g.kernel[1]).kW(g.kernel[2])
                .sD(g.stride[0]).sH(g.stride[1]).sW(g.stride[2])
                .pD(padding[0]).pH(padding[1]).pW(padding[2])
                .dD(g.rhsDilation[0]).dH(g.rhsDilation[1]).dW(g.rhsDilation[2])
                .paddingMode(sameMode ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(g.channelFirst ? "NCDHW" : "NDHWC")
                .biasUsed(b != null)
                .build();
        return b == null ? sd.cnn().conv3d(x, w, config) : sd.cnn().conv3d(x, w, b, config);
    }

    private static Conv2DConfig conv2dConfig(Geometry g, int[] padding, boolean sameMode) {
        return Conv2DConfig.builder()
                .kH(g.kernel[0]).kW(g.kernel[1])
                .sH(g.stride[0]).sW(g.stride[1])
                .pH(padding[0]).pW(padding[1])
                .dH(g.rhsDilation[0]).dW(g.rhsDilation[1])
                .paddingMode(sameMode ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(g.channelFirst ? "NCHW" : "NHWC")
                .weightsFormat(WeightsFormat.YXIO) // the only layout conv2d_bp trains in M2.1 (canary: Dl4jM21CanaryTest)
                .build();
    }

    // ---- transposed -------------------------------------------------------------------------

    private static SDVariable transposed(SameDiff sd, Geometry g, SDVariable x, SDVariable kernel, SDVariable bias) {
        int[][] pads = g.pads();
        int[][] crops = new int[g.dims][2];
        boolean symmetricCrop = true;
        boolean appendsZeros = false;
        for (int i = 0; i < g.dims; i++) {
            int edge = g.effectiveKernel(i) - 1;
            crops[i][0] = edge - pads[i][0];
            crops[i][1] = edge - pads[i][1];
            symmetricCrop &= crops[i][0] == crops[i][1] && crops[i][0] >= 0;
            appendsZeros |= crops[i][0] < 0 || crops[i][1] < 0;
        }
        int[] opPadding = new int[g.dims];
        if (symmetricCrop) {
            for (int i = 0; i < g.dims; i++) opPadding[i] = crops[i][0];
        }
        // The bias must also cover zeros appended after the op, so it is added last in that case.
        boolean biasInOp = g.groups == 1 && !appendsZeros;

        SDVariable y;
        if (g.groups == 1) {
            y = deconvOp(sd, g, x, kernel, biasInOp ? reshapedBias(sd, g, bias, false) : null, opPadding);
        } else {
            SDVariable[] inputs = sd.split(x, g.groups, g.channelAxis());
            SDVariable[] kernels = sd.split(kernel, g.groups, g.dims);
            SDVariable[] outputs = new SDVariable[g.groups];
            for (int i = 0; i < g.groups; i++) outputs[i] = deconvOp(sd, g, inputs[i], kernels[i], null, opPadding);
            y = sd.concat(g.channelAxis(), outputs);
        }
        if (!symmetricCrop) {
            long[] fullShape = g.inputShape();
            fullShape[g.channelAxis()] = g.outChannels;
            int[][] amounts = new int[g.dims][2];
            for (int i = 0; i < g.dims; i++) {
                int axis = g.spatialAxis(i);
                fullShape[axis] = (fullShape[axis] - 1) * g.stride[i] + g.effectiveKernel(i);
                amounts[i][0] = -crops[i][0];
                amounts[i][1] = -crops[i][1];
            }
            y = padOrCrop(sd, g, y, fullShape, amounts);
        }
        return bias == null || biasInOp ? y : y.add(reshapedBias(sd, g, bias, true));
    }

    private static SDVariable deconvOp(SameDiff sd, Geometry g, SDVariable x, SDVariable w, SDVariable b, int[] padding) {
        if (g.dims == 2) {
            DeConv2DConfig config = DeConv2DConfig.builder()
                    .kH(g.kernel[0]).kW(g.kernel[1])
                    .sH(g.stride[0]).sW(g.stride[1])
                    .pH(padding[0]).pW(padding[1])
                    .dH(g.rhsDilation[0]).dW(g.rhsDilation[1])
                    .isSameMode(false)
                    .dataFormat(g.channelFirst ? "NCHW" : "NHWC")
                    .build();
            return b == null ? sd.cnn().deconv2d(x, w, config) : sd.cnn().deconv2d(x, w, b, config);
        }
        DeConv3DConfig config = DeConv3DConfig.builder()
                .kD(g.kernel[0]).kH(g.kernel[1]).kW(g.kernel[2])
                .sD(g.stride[0]).sH(g.stride[1]).sW(g.stride[2])
                .pD(padding[0]).pH(padding[1]).pW(padding[2])
                .dD(g.rhsDilation[0]).dH(g.rhsDilation[1]).dW(g.rhsDilation[2])
                .isSameMode(false)
                .dataFormat(g.channelFirst ? "NCDHW" : "NDHWC")
                .build();
        return b == null ? sd.cnn().deconv3d(x, w, config) : sd.cnn().deconv3d(x, w, b, config);
    }

    // ---- shared pieces ----------------------------------------------------------------------

    /** Pads (positive amounts) and crops (negative amounts) the spatial axes of {@code x}. */
    private static SDVariable padOrCrop(SameDiff sd, Geometry g, SDVariable x, long[] shape, int[][] amounts) {
        boolean crops = false;
        boolean pads = false;
        for (int[] a : amounts) {
            crops |= a[0] < 0 || a[1] < 0;
            pads |= a[0] > 0 || a[1] > 0;
        }
        if (crops) {
            SDIndex[] index = new SDIndex[shape.length];
            Arrays.fill(index, SDIndex.all());
            for (int i = 0; i < g.dims; i++) {
                int axis = g.spatialAxis(i);
                long lo = Math.max(0, -amounts[i][0]);
                long hi = Math.max(0, -amounts[i][1]);
                index[axis] = SDIndex.interval(lo, shape[axis] - hi);
            }
            x = x.get(index);
        }
        if (pads) {
            int[][] padding = new int[shape.length][2];
            for (int i = 0; i < g.dims; i++) {
                padding[g.spatialAxis(i)][0] = Math.max(0, amounts[i][0]);
                padding[g.spatialAxis(i)][1] = Math.max(0, amounts[i][1]);
            }
            x = sd.nn().pad(x, sd.constant(Nd4j.createFromArray(padding)), PadMode.CONSTANT, 0.0);
        }
        return x;
    }

    /** The bias parameter as the op's 1-D bias, or shaped to broadcast over the (lifted) output. */
    private static SDVariable reshapedBias(SameDiff sd, Geometry g, SDVariable bias, boolean broadcast) {
        if (bias == null) return null;
        if (!broadcast) return sd.reshape(bias, g.outChannels);
        long[] shape = new long[g.dims + 2];
        Arrays.fill(shape, 1);
        shape[g.channelAxis()] = g.outChannels;
        return sd.reshape(bias, shape);
    }

    /** The spec's geometry on 2 or 3 spatial axes (1-D lifted to 2-D with a leading unit axis). */
    private static final class Geometry {
        final int dims;
        final boolean channelFirst;
        final int[] kernel;
        final int[] stride;
        final int[] lhsDilation;
        final int[] rhsDilation;
        final long[] inSpatial;
        final int[][] pads;
        final int inChannels;
        final int outChannels;
        final int groups;

        private Geometry(ConvSpec spec) {
            int n = spec.spatialDims();
            int lift = n == 1 ? 1 : 0;
            this.dims = n + lift;
            this.channelFirst = spec.channelFirst();
            this.kernel = lifted(spec.kernelSize(), lift);
            this.stride = lifted(spec.stride(), lift);
            this.lhsDilation = lifted(spec.lhsDilation(), lift);
            this.rhsDilation = lifted(spec.rhsDilation(), lift);
            this.inSpatial = new long[dims];
            this.pads = new int[dims][];
            for (int i = 0; i < dims; i++) {
                inSpatial[i] = i < lift ? 1 : spec.spatialIn(i - lift);
                pads[i] = i < lift ? new int[] {0, 0} : spec.pads(i - lift);
            }
            this.inChannels = spec.inChannels();
            this.outChannels = spec.outChannels();
            this.groups = spec.groups();
        }

        private Geometry(Geometry g, int[] kernel, int[] rhsDilation) {
            this.dims = g.dims;
            this.channelFirst = g.channelFirst;
            this.kernel = kernel;
            this.stride = g.stride;
            this.lhsDilation = g.lhsDilation;
            this.rhsDilation = rhsDilation;
            this.inSpatial = g.inSpatial;
            this.pads = g.pads;
            this.inChannels = g.inChannels;
            this.outChannels = g.outChannels;
            this.groups = g.groups;
        }

        static Geometry of(ConvSpec spec) {
            return new Geometry(spec);
        }

        /** The same geometry for the kernel with its dilation spelled out as zeros (dilation 1). */
        Geometry undilated() {
            int[] effective = new int[dims];
            for (int i = 0; i < dims; i++) effective[i] = effectiveKernel(i);
            int[] ones = new int[dims];
            Arrays.fill(ones, 1);
            return new Geometry(this, effective, ones);
        }

        private static int[] lifted(int[] values, int lift) {
            int[] out = new int[values.length + lift];
            Arrays.fill(out, 1);
            System.arraycopy(values, 0, out, lift, values.length);
            return out;
        }

        int channelAxis() { return channelFirst ? 1 : dims + 1; }

        int spatialAxis(int i) { return channelFirst ? i + 2 : i + 1; }

        int effectiveKernel(int i) { return (kernel[i] - 1) * rhsDilation[i] + 1; }

        boolean hasKernelDilation() {
            for (int d : rhsDilation) if (d > 1) return true;
            return false;
        }

        int[][] pads() {
            int[][] copy = new int[dims][];
            for (int i = 0; i < dims; i++) copy[i] = pads[i].clone();
            return copy;
        }

        /** Batched input shape with an unknown (-1) batch size. */
        long[] inputShape() {
            long[] shape = new long[dims + 2];
            shape[0] = -1;
            shape[channelAxis()] = inChannels;
            for (int i = 0; i < dims; i++) shape[spatialAxis(i)] = inSpatial[i];
            return shape;
        }
    }
}
