package org.brainstate4j.bench;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark's networks written directly with SameDiff ops, NHWC, the way a DL4J user would
 * without brainstate4j: one {@code conv2d} / {@code deconv2d} per layer, weight standardization and
 * GroupNorm spelled out with mean / mean-of-squares / rsqrt ops. Same shapes, parameter counts and
 * op choices for padding as the brainstate4j layers (transposed SAME: explicit padding 1, k 4, s 2).
 */
final class RawNetworks {
    private RawNetworks() {}

    static SDVariable build(SameDiff sd, SDVariable x, PeerBenchmark.Workload w) {
        return w.segmentation() ? unet(sd, x, w) : cnn(sd, x, w);
    }

    private static SDVariable cnn(SameDiff sd, SDVariable x, PeerBenchmark.Workload w) {
        long h = w.sample[0];
        long c = w.sample[2];
        int[] widths = {32, 64, 128};
        SDVariable y = x;
        for (int i = 0; i < 3; i++) {
            y = convNormRelu(sd, "conv" + (i + 1), y, c, widths[i], 3, 1, h, w.weightStandardized);
            y = sd.cnn().maxPooling2d(y, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                    .paddingMode(PaddingMode.VALID).isNHWC(true).build());
            h /= 2;
            c = widths[i];
        }
        long features = h * h * c;
        SDVariable flat = sd.reshape(y, -1, features);
        SDVariable wfc = sd.var("fc/w", Nd4j.randn(DataType.FLOAT, features, w.classes).muli(Math.sqrt(2.0 / features)));
        SDVariable bfc = sd.var("fc/b", Nd4j.zeros(DataType.FLOAT, w.classes));
        return flat.mmul(wfc).add(bfc);
    }

    private static SDVariable unet(SameDiff sd, SDVariable x, PeerBenchmark.Workload w) {
        int w1 = w.width;
        long h = w.sample[0];
        boolean ws = w.weightStandardized;
        SDVariable e1 = convNormRelu(sd, "enc1", x, w.sample[2], w1, 3, 1, h, ws);
        SDVariable e2 = convNormRelu(sd, "enc2", e1, w1, 2 * w1, 3, 2, h / 2, ws);
        SDVariable e3 = convNormRelu(sd, "enc3", e2, 2 * w1, 4 * w1, 3, 2, h / 4, ws);
        SDVariable b = convNormRelu(sd, "bottleneck", e3, 4 * w1, 8 * w1, 3, 2, h / 8, ws);
        SDVariable d1 = sd.concat(3, deconvNormRelu(sd, "dec1", b, 8 * w1, 4 * w1, h / 4, ws), e3);
        SDVariable d2 = sd.concat(3, deconvNormRelu(sd, "dec2", d1, 8 * w1, 2 * w1, h / 2, ws), e2);
        SDVariable d3 = sd.concat(3, deconvNormRelu(sd, "dec3", d2, 4 * w1, w1, h, ws), e1);
        SDVariable wout = weight(sd, "output", new long[] {1, 1, 2 * w1, w.classes}, ws);
        return sd.cnn().conv2d(d3, wout, conv(1, 1, PaddingMode.SAME));
    }

    private static SDVariable convNormRelu(SameDiff sd, String name, SDVariable x, long in, long out, int k, int s,
                                           long outSpatial, boolean ws) {
        SDVariable w = weight(sd, name, new long[] {k, k, in, out}, ws);
        SDVariable y = sd.cnn().conv2d(x, w, conv(k, s, PaddingMode.SAME));
        if (ws) y = groupNorm(sd, name + "_norm", y, outSpatial, out, 8);
        return sd.nn().relu(y, 0);
    }

    private static SDVariable deconvNormRelu(SameDiff sd, String name, SDVariable x, long in, long out, long outSpatial,
                                             boolean ws) {
        SDVariable w = sd.var(name + "/w", Nd4j.randn(DataType.FLOAT, 4, 4, out, in).muli(Math.sqrt(2.0 / (16 * (in + out)))));
        SDVariable y = sd.cnn().deconv2d(x, w, DeConv2DConfig.builder().kH(4).kW(4).sH(2).sW(2).pH(1).pW(1)
                .isSameMode(false).dataFormat("NHWC").build());
        if (ws) y = groupNorm(sd, name + "_norm", y, outSpatial, out, 8);
        return sd.nn().relu(y, 0);
    }

    private static Conv2DConfig conv(int k, int s, PaddingMode mode) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(s).sW(s).paddingMode(mode).dataFormat("NHWC")
                .weightsFormat(WeightsFormat.YXIO).build();
    }

    /** A YXIO kernel, weight-standardized (population variance, eps floor 1e-4, gain) when {@code ws}. */
    private static SDVariable weight(SameDiff sd, String name, long[] shape, boolean ws) {
        long fanIn = shape[0] * shape[1] * shape[2];
        SDVariable w = sd.var(name + "/w", Nd4j.randn(DataType.FLOAT, shape).muli(Math.sqrt(2.0 / (fanIn + shape[3] * shape[0] * shape[1]))));
        if (!ws) return w;
        SDVariable gain = sd.var(name + "/gain", Nd4j.ones(DataType.FLOAT, 1, 1, 1, shape[3]));
        SDVariable centered = w.sub(w.mean(true, 0, 1, 2));
        SDVariable variance = centered.mul(centered).mean(true, 0, 1, 2);
        SDVariable scale = sd.math().rsqrt(sd.math().max(variance.mul(fanIn), sd.constant(Nd4j.scalar(DataType.FLOAT, 1e-4))));
        return centered.mul(scale.mul(gain));
    }

    /** GroupNorm over (H, W, channels of a group), fast variance, epsilon 1e-6, scale and bias. */
    private static SDVariable groupNorm(SameDiff sd, String name, SDVariable x, long spatial, long channels, int groups) {
        SDVariable xg = sd.reshape(x, -1, spatial, spatial, groups, channels / groups);
        SDVariable mean = xg.mean(true, 1, 2, 4);
        SDVariable variance = sd.math().max(xg.mul(xg).mean(true, 1, 2, 4).sub(mean.mul(mean)),
                sd.constant(Nd4j.scalar(DataType.FLOAT, 0.0)));
        SDVariable y = sd.reshape(xg.sub(mean).mul(sd.math().rsqrt(variance.add(1e-6))), -1, spatial, spatial, channels);
        SDVariable scale = sd.var(name + "/scale", Nd4j.ones(DataType.FLOAT, channels));
        SDVariable bias = sd.var(name + "/bias", Nd4j.zeros(DataType.FLOAT, channels));
        return y.mul(sd.reshape(scale, 1, 1, 1, channels)).add(sd.reshape(bias, 1, 1, 1, channels));
    }
}
