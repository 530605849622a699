package org.brainstate4j.graph;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the native ND4J build loaded in this JVM can and cannot do (which build loads is chosen by
 * {@link org.brainstate4j.NativeBuilds}). ND4J 1.0.0-M2.1's OneDNN builds (every classifier with
 * {@code onednn}: {@code -onednn}, {@code -onednn-avx2}, {@code -onednn-avx512}) fail on dilated
 * conv2d / conv3dnew / deconv2d_bp / deconv3d_bp in FLOAT ("could not create a descriptor for a
 * dilated convolution") and can get conv3dnew's weight gradient wrong with the op's own padding;
 * the generic build, DOUBLE and helpers switched off are fine. The dilation failure's canary is
 * {@code workarounds.Dl4jM21CanaryTest} (test sources); the conv3d one is covered by OneDnnBuildTest's
 * golden cases (the raw op was not caught failing on its own).
 */
public final class NativeBackend {
    private static volatile Boolean oneDnnBuild;

    private NativeBackend() {}

    /** True when this JVM runs ND4J's OneDNN build. */
    public static boolean isOneDnnBuild() {
        Boolean known = oneDnnBuild;
        if (known == null) {
            String info;
            try {
                Nd4j.getExecutioner(); // loads the backend; NativeOpsHolder alone fails before that
                info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            } catch (RuntimeException | LinkageError e) {
                info = "";
            }
            known = info != null && info.contains("HAVE_ONEDNN");
            oneDnnBuild = known;
        }
        return known;
    }

    /**
     * True when a convolution op with kernel (rhs) dilation in {@code type} would fail here, so the
     * emitter must spell the dilation out as zeros inserted into the kernel.
     */
    public static boolean dilatedConvolutionFails(DataType type) {
        return oneDnnHelpersRun(type);
    }

    /**
     * True when conv3dnew's own padding (SAME mode, or pD/pH/pW) can give a wrong weight gradient
     * here, so the emitter must pad the input with a pad op and run the op unpadded. ND4J
     * 1.0.0-M2.1's OneDNN conv3dnew_bp returns a weight gradient that reads unwritten memory (off by
     * 0.4 to 1e31 of its scale) in geometries such as input depth 4, kernel 3, stride 3, depth
     * padding (1, 1) with no height/width padding; the output and the input gradient stay right, and
     * the same geometry with the input padded first is exact (cases in OneDnnBuildTest).
     */
    public static boolean conv3dPaddingFails(DataType type) {
        return oneDnnHelpersRun(type);
    }

    /** OneDNN's helpers run FLOAT (not DOUBLE) ops on the OneDNN build unless helpers are switched off. */
    private static boolean oneDnnHelpersRun(DataType type) {
        return type != DataType.DOUBLE && isOneDnnBuild() && Nd4j.getEnvironment().helpersAllowed();
    }
}
