package org.brainstate4j.graph;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the native ND4J build loaded in this JVM can and cannot do. ND4J 1.0.0-M2.1's OneDNN build
 * (loaded automatically when its classifier jar is on the class path) fails on dilated
 * conv2d / conv3dnew / deconv2d_bp / deconv3d_bp in FLOAT ("could not create a descriptor for a
 * dilated convolution"); the generic build, DOUBLE and helpers switched off are fine.
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
        return type != DataType.DOUBLE && isOneDnnBuild() && Nd4j.getEnvironment().helpersAllowed();
    }
}
