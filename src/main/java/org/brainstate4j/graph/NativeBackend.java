package org.brainstate4j.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the native ND4J build loaded in this JVM can and cannot do. ND4J 1.0.0-M2.1's OneDNN build
 * (loaded automatically when its classifier jar is on the class path) fails on dilated
 * conv2d / conv3dnew / deconv2d_bp / deconv3d_bp in FLOAT ("could not create a descriptor for a
 * dilated convolution") and can get conv3dnew's weight gradient wrong with the op's own padding;
 * the generic build, DOUBLE and helpers switched off are fine. The dilation failure's canary is
 * {@code workarounds.Dl4jM21CanaryTest} (test sources); the conv3d one is covered by OneDnnBuildTest's
 * golden cases (the raw op was not caught failing on its own).
 */
public final class NativeBackend {
    /** JavaCPP's platform extension of ND4J's OneDNN build for AVX-512 CPUs. */
    public static final String ONEDNN_AVX512 = "-onednn-avx512";
    private static final String ONEDNN_AVX512_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + ONEDNN_AVX512 + "/libjnind4jcpu.so";
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
     * True when ND4J's OneDNN-AVX512 build could be loaded in this JVM: its jar is on the class path
     * (the onednn profile) and this CPU has AVX-512 (without it ND4J exits on start). Reads no ND4J
     * class, so it can be asked before choosing which build to load.
     */
    public static boolean oneDnnAvx512Available() {
        if (NativeBackend.class.getClassLoader().getResource(ONEDNN_AVX512_LIBRARY) == null) return false;
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
