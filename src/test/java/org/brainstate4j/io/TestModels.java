package org.brainstate4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.Module;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.init.Normal;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The small real model of the I/O tests: Conv2d(3->6, 3x3) -> relu -> ScaledWSConv2d(6->6, 3x3)
 * -> mean over space -> matmul head (sd.var) -> MSE loss, trained with Adam through sd.fit.
 */
final class TestModels {
    private TestModels() {}

    static final long H = 8, W = 8, C = 3, CLASSES = 4, BATCH = 4;

    /** The two convolution layers as one module, so parameter paths read {@code enc1/weight}, ... */
    static final class Encoder extends Module {
        final Conv2d enc1;
        final ScaledWSConv2d enc2;

        Encoder(String name, DataType dt, long seed) {
            super(name);
            enc1 = Conv2d.builder().inSize(H, W, C).outChannels(6).kernelSize(3).name("enc1").dataType(dt).seed(seed).build();
            enc2 = ScaledWSConv2d.builder().inSize(H, W, 6).outChannels(6).kernelSize(3).name("enc2").dataType(dt)
                    .biasInit(new Normal(0, 0.1)).seed(seed + 1).build();
        }

        @Override
        public List<Module> children() {
            return List.of(enc1, enc2);
        }

        @Override
        protected SDVariable forward(SameDiff sd, SDVariable x) {
            return enc2.apply(sd, sd.nn().relu(enc1.apply(sd, x), 0));
        }
    }

    record Model(SameDiff sd, Encoder encoder, INDArray x, INDArray y, DataSet data) {
        INDArray output() {
            return output(sd, x);
        }

        double loss() {
            return loss(sd, x, y);
        }

        void fit(int steps) {
            for (int i = 0; i < steps; i++) sd.fit(data);
        }

        static INDArray output(SameDiff sd, INDArray x) {
            return sd.output(Map.of("x", x), "out").get("out");
        }

        static double loss(SameDiff sd, INDArray x, INDArray y) {
            return sd.output(Map.of("x", x, "y", y), "loss").get("loss").getDouble(0);
        }
    }

    static Model build(DataType dt, long seed) {
        Encoder encoder = new Encoder("net", dt, seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", dt, -1, H, W, C);
        SDVariable y = sd.placeHolder("y", dt, -1, CLASSES);
        SDVariable features = encoder.apply(sd, x).mean(1, 2);
        Nd4j.getRandom().setSeed(seed);
        SDVariable w = sd.var("head/weight", Nd4j.rand(dt, 6, CLASSES).subi(0.5));
        SDVariable b = sd.var("head/bias", Nd4j.zeros(dt, CLASSES));
        SDVariable out = features.mmul(w).add(b).rename("out");
        SDVariable d = out.sub(y);
        d.mul(d).mean().rename("loss").markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-2)).dataSetFeatureMapping("x")
                .dataSetLabelMapping("y").build());
        Nd4j.getRandom().setSeed(seed + 100);
        INDArray xs = Nd4j.rand(dt, BATCH, H, W, C);
        INDArray ys = Nd4j.rand(dt, BATCH, CLASSES);
        return new Model(sd, encoder, xs, ys, new DataSet(xs, ys));
    }

    /** Bit-for-bit equality (INDArray.equals allows a 1e-5 difference, so it is not used). */
    static void assertBitIdentical(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        if (expected.dataType() == DataType.DOUBLE) {
            long[] e = Arrays.stream(expected.dup('c').data().asDouble()).mapToLong(Double::doubleToRawLongBits).toArray();
            long[] a = Arrays.stream(actual.dup('c').data().asDouble()).mapToLong(Double::doubleToRawLongBits).toArray();
            assertArrayEquals(e, a, what + ": bits");
        } else {
            assertEquals(DataType.FLOAT, expected.dataType(), what);
            int[] e = floatBits(expected), a = floatBits(actual);
            assertArrayEquals(e, a, what + ": bits");
        }
    }

    private static int[] floatBits(INDArray x) {
        float[] v = x.dup('c').data().asFloat();
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) bits[i] = Float.floatToRawIntBits(v[i]);
        return bits;
    }

    static List<Double> losses(Model m, int steps) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            out.add(m.loss());
            m.fit(1);
        }
        out.add(m.loss());
        assertTrue(out.stream().allMatch(Double::isFinite));
        return out;
    }
}
