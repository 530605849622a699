package org.brainstate4j.workarounds;

import org.brainstate4j.graph.NativeBackend;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The raw OneDNN-build behaviours that {@code NativeBackend} works around, run in a JVM that loaded
 * ND4J's OneDNN build (started by {@link Dl4jM21CanaryTest}). Prints one {@code BUG PRESENT <name>}
 * or {@code BUG GONE <name>} line per bug; exit status 3 when the OneDNN build was not loaded.
 */
public final class OneDnnCanaryMain {
    private OneDnnCanaryMain() {}

    public static void main(String[] args) {
        if (!NativeBackend.isOneDnnBuild()) {
            System.out.println("not the OneDNN build");
            System.exit(3);
        }
        System.out.println((dilatedConvolutionFails() ? "BUG PRESENT " : "BUG GONE ") + "dilated-float-conv");
        System.exit(0);
    }

    /** A FLOAT conv2d with kernel dilation 2, forward pass only: on M2.1's OneDNN build it throws. */
    static boolean dilatedConvolutionFails() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant(Nd4j.rand(DataType.FLOAT, 1, 7, 7, 2));
        SDVariable w = sd.constant(Nd4j.rand(DataType.FLOAT, 3, 3, 2, 2));
        SDVariable y = sd.cnn().conv2d(x, w, Conv2DConfig.builder().kH(3).kW(3).dH(2).dW(2)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build());
        try {
            INDArray out = y.eval();
            System.out.println("dilated conv2d gave " + java.util.Arrays.toString(out.shape()));
            return false;
        } catch (RuntimeException e) {
            System.out.println("dilated conv2d threw: " + e.getMessage());
            return true;
        }
    }
}
