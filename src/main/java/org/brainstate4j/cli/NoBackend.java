package org.brainstate4j.cli;

import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * Recognises ND4J's "no backend" failure. When no ND4J backend on the class path can run on this
 * machine — typically the CUDA build ({@code -Pcuda}) without an NVIDIA driver or the CUDA 11.6
 * libraries — the first use of {@code Nd4j} throws an {@code ExceptionInInitializerError} around a
 * {@code RuntimeException} around {@link Nd4jBackend.NoAvailableBackendException}, with a stack trace
 * of some 40 lines. The command line turns it into one line.
 */
final class NoBackend {
    private NoBackend() {}

    /** The one-line message for {@code failure} if ND4J found no usable backend somewhere in its causes, else null. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Nd4jBackend.NoAvailableBackendException) {
                return "ND4J found no backend that runs on this machine (" + firstLine(t.getMessage())
                        + "). The CUDA build (-Pcuda) needs an NVIDIA GPU, its driver and the CUDA 11.6 libraries"
                        + " (docs/platforms.md, Other platforms and CUDA); the default build runs on any x86-64 Linux CPU.";
            }
            if (t.getCause() == t) break;
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) return "no details";
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
