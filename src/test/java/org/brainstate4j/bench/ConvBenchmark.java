package org.brainstate4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.init.Constant;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward + backward cost of brainstate4j layers at the scale of the tutorial's U-Net (batch 4),
 * against the same computation written by hand with raw SameDiff ops, and the cost of weight
 * standardization over a plain Conv2d of the same size. Each step is
 * {@code calculateGradients} of {@code sum(y * dy)} with respect to input and parameters.
 *
 * <p>Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.brainstate4j.bench.ConvBenchmark [-Dexec.args="rounds stepsPerRound"]}
 */
public final class ConvBenchmark {
    private static final int BATCH = 4;

    private ConvBenchmark() {}

    /** One step's graph: input placeholder, output, loss, and what to differentiate. */
    private record Step(SameDiff sd, Map<String, INDArray> feeds, List<String> wrt) {
        void run() {
            sd.calculateGradients(feeds, wrt);
        }
    }

    private static Step step(long[] inputShape, long[] outputShape, List<String> params,
                             BiFunction<SameDiff, SDVariable, SDVariable> body) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, inputShape);
        SDVariable y = body.apply(sd, x);
        y.mul(sd.constant("dy", Nd4j.rand(DataType.FLOAT, outputShape))).sum().markAsLoss();
        List<String> wrt = new ArrayList<>(params);
        wrt.add("x");
        sd.createGradFunction("x");
        return new Step(sd, Map.of("x", Nd4j.rand(DataType.FLOAT, inputShape)), wrt);
    }

    private static long[] batched(long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = BATCH;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    private static Step layerStep(ConvLayer layer) {
        List<String> params = new ArrayList<>();
        layer.parameters().keySet().forEach(p -> params.add(layer.name() + "/" + p));
        return step(batched(layer.inSize()), batched(layer.outSize()), params, (sd, x) -> layer.apply(sd, x));
    }

    /** The hand-written forward conv: one conv2d op with weight and 1-D bias variables. */
    private static Step rawConv2d(ConvLayer layer, PaddingMode mode, int pad) {
        int[] k = layer.spec().kernelSize();
        int[] s = layer.spec().stride();
        return step(batched(layer.inSize()), batched(layer.outSize()), List.of("w", "b"), (sd, x) -> {
            SDVariable w = sd.var("w", layer.weight().dup());
            SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, layer.outChannels()));
            return sd.cnn().conv2d(x, w, b, Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1])
                    .pH(pad).pW(pad).paddingMode(mode).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build());
        });
    }

    /** The hand-written transposed conv: one deconv2d op, its padding chosen by hand for BrainState's SAME. */
    private static Step rawDeconv2d(ConvLayer layer, int pad) {
        int[] k = layer.spec().kernelSize();
        int[] s = layer.spec().stride();
        return step(batched(layer.inSize()), batched(layer.outSize()), List.of("w", "b"), (sd, x) -> {
            SDVariable w = sd.var("w", layer.weight().dup());
            SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, layer.outChannels()));
            return sd.cnn().deconv2d(x, w, b, DeConv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1])
                    .pH(pad).pW(pad).isSameMode(false).dataFormat("NHWC").build());
        });
    }

    private record Case(String name, String baselineName, Step baseline, String variantName, Step variant) {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int stepsPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 3;

        Conv2d enc1 = Conv2d.builder().inSize(128, 128, 3).outChannels(64).kernelSize(3).biasInit(Constant.ZEROS)
                .name("enc1").build();
        Conv2d enc2 = Conv2d.builder().inSize(128, 128, 64).outChannels(128).kernelSize(3).stride(2)
                .biasInit(Constant.ZEROS).name("enc2").build();
        ConvTranspose2d dec3 = ConvTranspose2d.builder().inSize(64, 64, 256).outChannels(64).kernelSize(4).stride(2)
                .biasInit(Constant.ZEROS).name("dec3").build();
        ScaledWSConv2d wsEnc2 = ScaledWSConv2d.builder().inSize(128, 128, 64).outChannels(128).kernelSize(3).stride(2)
                .biasInit(Constant.ZEROS).name("ws_enc2").build();

        List<Case> cases = List.of(
                new Case("Conv2d 128x128x3 -> 64, k3 s1 SAME", "raw conv2d", rawConv2d(enc1, PaddingMode.SAME, 0),
                        "brainstate4j", layerStep(enc1)),
                new Case("Conv2d 128x128x64 -> 128, k3 s2 SAME", "raw conv2d", rawConv2d(enc2, PaddingMode.SAME, 0),
                        "brainstate4j", layerStep(enc2)),
                new Case("ConvTranspose2d 64x64x256 -> 64, k4 s2 SAME", "raw deconv2d", rawDeconv2d(dec3, 1),
                        "brainstate4j", layerStep(dec3)),
                new Case("ScaledWSConv2d vs Conv2d, 128x128x64 -> 128, k3 s2", "brainstate4j Conv2d", layerStep(enc2),
                        "brainstate4j ScaledWSConv2d", layerStep(wsEnc2)));

        System.out.printf(Locale.ROOT, "brainstate4j conv benchmark: batch %d, forward+backward, %d interleaved rounds x %d steps%n",
                BATCH, rounds, stepsPerRound);
        System.out.printf(Locale.ROOT, "%-52s %-28s %12s %12s %16s%n", "case", "variant", "baseline ms", "variant ms",
                "ratio (median)");
        for (Case c : cases) {
            Map<String, double[]> t = new Interleaved()
                    .add(c.baselineName(), c.baseline()::run)
                    .add(c.variantName(), c.variant()::run)
                    .run(4, rounds, stepsPerRound);
            double[] base = t.get(c.baselineName());
            double[] variant = t.get(c.variantName());
            double[] ratios = Interleaved.ratios(variant, base);
            double[] sorted = ratios.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-52s %-28s %12.1f %12.1f %9.3fx [%.3f..%.3f]%n", c.name(),
                    c.variantName() + " / " + c.baselineName(), Interleaved.median(base), Interleaved.median(variant),
                    Interleaved.median(ratios), sorted[0], sorted[sorted.length - 1]);
        }
    }
}
