package org.brainstate4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ND4J 1.0.0-M2.1's native CPU builds for {@code linux-x86_64}, and the choice of the fastest one this
 * machine can run. Each build is a classifier of {@code org.nd4j:nd4j-native} (a jar of about 90 MB);
 * JavaCPP loads the one named by the system property {@value #PROPERTY} ({@code ""} is the generic
 * build). Left unset, JavaCPP loads whichever build it finds first on the class path, and ND4J exits on
 * a CPU that lacks the instructions that build was compiled for.
 *
 * <p>Call {@link #useFastest()} first thing in {@code main}, before any ND4J class is touched; it
 * picks the first build of {@link Build}'s order (fastest first, measured in BENCHMARKS.md "Native
 * builds") whose jar is on the class path and whose instructions this CPU has, and keeps a value the
 * user set with {@code -D}. The command line does this itself. Reads no ND4J class.
 */
public final class NativeBuilds {
    /** JavaCPP's system property that selects a build by its classifier's extension. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private static final String PLATFORM = "linux-x86_64";

    private NativeBuilds() {}

    /** ND4J's CPU builds, fastest first (training step of SimpleCNN, BENCHMARKS.md "Native builds"). */
    public enum Build {
        /** OneDNN convolutions, the rest compiled for AVX-512 (Intel Skylake-SP and later, AMD Zen 4 and later). */
        ONEDNN_AVX512("-onednn-avx512", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"),
        /** OneDNN convolutions, the rest compiled for AVX2 (Intel Haswell and later, AMD Zen and later). */
        ONEDNN_AVX2("-onednn-avx2", "avx2", "fma"),
        /** OneDNN convolutions (OneDNN picks its kernels for this CPU at run time), the rest for any x86-64. */
        ONEDNN("-onednn"),
        /** No OneDNN, compiled for AVX-512. */
        AVX512("-avx512", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"),
        /** No OneDNN, compiled for AVX2. */
        AVX2("-avx2", "avx2", "fma"),
        /** No OneDNN, any x86-64 CPU: {@code nd4j-native-platform}'s default. */
        GENERIC("");

        private final String extension;
        private final Set<String> cpuFlags;

        Build(String extension, String... cpuFlags) {
            this.extension = extension;
            this.cpuFlags = Set.of(cpuFlags);
        }

        /** The value of {@value NativeBuilds#PROPERTY} that loads this build ({@code ""} for the generic one). */
        public String extension() { return extension; }

        /** The Maven classifier of {@code org.nd4j:nd4j-native:1.0.0-M2.1} that holds this build. */
        public String classifier() { return PLATFORM + extension; }

        /** True for the builds whose convolutions run on OneDNN. */
        public boolean oneDnn() { return extension.contains("onednn"); }

        /** True when this build's jar is on the class path. */
        public boolean onClassPath() {
            String library = "org/nd4j/linalg/cpu/nativecpu/bindings/" + classifier() + "/libjnind4jcpu.so";
            return NativeBuilds.class.getClassLoader().getResource(library) != null;
        }

        /** True when this CPU has every instruction set the build was compiled for. */
        public boolean runsOn(Set<String> cpuFlags) {
            return cpuFlags.containsAll(this.cpuFlags);
        }

        /** The build whose {@link #extension()} is {@code extension}; refused with the known ones otherwise. */
        public static Build ofExtension(String extension) {
            for (Build b : values()) if (b.extension.equals(extension)) return b;
            throw new IllegalArgumentException(PROPERTY + " (=" + extension + ") must be one of "
                    + Arrays.stream(values()).map(b -> "\"" + b.extension + "\"").collect(Collectors.joining(", ")));
        }
    }

    /**
     * Sets {@value #PROPERTY} to the fastest build this machine runs, unless it is set already, and
     * returns the build in effect. Must run before ND4J loads (ND4J reads the property once).
     */
    public static Build useFastest() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen != null) return Build.ofExtension(chosen);
        Build fastest = fastestAvailable();
        System.setProperty(PROPERTY, fastest.extension());
        return fastest;
    }

    /** The first build, fastest first, that is on the class path and runs on this CPU. */
    public static Build fastestAvailable() {
        return available().get(0);
    }

    /**
     * Every build on the class path that runs on this CPU, fastest first; the generic build is always
     * listed last (it is what {@code nd4j-native-platform} brings), so the list is never empty.
     */
    public static List<Build> available() {
        Set<String> flags = cpuFlags();
        return Arrays.stream(Build.values())
                .filter(b -> b == Build.GENERIC || (b.onClassPath() && b.runsOn(flags)))
                .toList();
    }

    /** This CPU's instruction-set flags ({@code /proc/cpuinfo}); empty where that file cannot be read. */
    public static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(line -> Set.copyOf(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}
