package org.brainstate4j.graph;

import java.io.PrintStream;

/**
 * SameDiff 1.0.0-M2.1 prints {@code "Added differentiated op <name>"} on standard output, with a
 * plain {@code System.out.println}, for every op each time it builds a gradient graph. This wraps
 * {@code System.out} once so that exactly those lines are dropped and everything else passes
 * through unchanged. Installed when brainstate4j's layer classes load; set the system property
 * {@code brainstate4j.keepSameDiffStdout=true} to leave {@code System.out} alone. The canary that
 * notices when SameDiff stops printing is {@code workarounds.Dl4jM21CanaryTest} (test sources).
 */
public final class SameDiffNoise {
    static final String PREFIX = "Added differentiated op ";
    private static boolean installed;

    private SameDiffNoise() {}

    /** Wraps {@code System.out} (idempotent). */
    public static synchronized void install() {
        if (installed || Boolean.getBoolean("brainstate4j.keepSameDiffStdout")) return;
        System.setOut(new Filter(System.out));
        installed = true;
    }

    private static final class Filter extends PrintStream {
        Filter(PrintStream target) {
            super(target, true);
        }

        @Override
        public void println(String line) {
            if (line != null && line.startsWith(PREFIX)) return;
            super.println(line);
        }
    }
}
