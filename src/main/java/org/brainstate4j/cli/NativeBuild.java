package org.brainstate4j.cli;

import org.brainstate4j.graph.NativeBackend;

/**
 * Chooses which of ND4J's native builds to load, before ND4J is first touched: the OneDNN build
 * compiled for AVX-512 when this CPU has AVX-512 and that build is on the class path (it runs the
 * convolutions of a training step several times faster than the generic build), else the generic
 * build. A value the user set ({@code -Dorg.bytedeco.javacpp.platform.extension=...}) is kept.
 *
 * <p>The choice must be explicit: left unset, JavaCPP loads the first build it finds, OneDNN-AVX512
 * included, and ND4J then exits on a CPU without AVX-512.
 */
final class NativeBuild {
    static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private NativeBuild() {}

    /** Sets the property if the user did not; returns the extension in effect ("" = generic build). */
    static String choose() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen != null) return chosen;
        if (NativeBackend.oneDnnAvx512Available()) {
            System.setProperty(PROPERTY, NativeBackend.ONEDNN_AVX512);
            return NativeBackend.ONEDNN_AVX512;
        }
        System.setProperty(PROPERTY, ""); // the generic build
        return "";
    }
}
