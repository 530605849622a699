package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

/**
 * The size budget every layer is checked against when it is built, so that nothing that builds can
 * overflow, crash native code or allocate absurdly when it runs. All sizes are computed in
 * {@code long} arithmetic that saturates instead of wrapping, then compared with two limits:
 * <ul>
 *   <li><b>extents</b>: every per-axis length (effective kernel, input after input dilation, padded
 *       input, output) must be at most {@value #MAX_EXTENT} ({@code Integer.MAX_VALUE}), because
 *       DL4J's op configurations and pad/crop ops take {@code int} sizes;</li>
 *   <li><b>elements per tensor</b>: every parameter, and every per-sample tensor a layer makes when
 *       it runs (input, padded or dilated input, dilated kernel, convolution work buffer, output), must
 *       hold at most {@link #maxElements()} elements: {@value #DEFAULT_MAX_ELEMENTS} (2^28, 1 GiB of
 *       float32) unless the system property {@value #PROPERTY} or {@link #scope(long)} says otherwise,
 *       and never more than {@value #HARD_MAX_ELEMENTS}, the largest Java array (parameters are
 *       initialized in Java arrays).</li>
 * </ul>
 * The batch size is not known when a layer is built, so the budget is per sample.
 */
public final class SizeLimits {
    private SizeLimits() {}

    /** System property that sets the per-tensor element limit. */
    public static final String PROPERTY = "brainstate4j.maxTensorElements";
    /** Default elements per tensor: 2^28. */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 28;
    /** The largest Java array: the limit can never be raised beyond this. */
    public static final long HARD_MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Largest per-axis length. */
    public static final long MAX_EXTENT = Integer.MAX_VALUE;

    private static final ThreadLocal<Long> SCOPED = new ThreadLocal<>();

    /** The per-tensor element limit in force on this thread. */
    public static long maxElements() {
        Long scoped = SCOPED.get();
        if (scoped != null) return scoped;
        String value = System.getProperty(PROPERTY);
        if (value == null) return DEFAULT_MAX_ELEMENTS;
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            parsed = -1;
        }
        checkArgument(parsed > 0 && parsed <= HARD_MAX_ELEMENTS,
                "system property %s (='%s') must be a whole number from 1 to %s", PROPERTY, value, HARD_MAX_ELEMENTS);
        return parsed;
    }

    /** Sets the element limit for this thread until the returned scope is closed (e.g. to build small in tests). */
    public static Scope scope(long maxElements) {
        checkArgument(maxElements > 0 && maxElements <= HARD_MAX_ELEMENTS,
                "maxElements (=%s) must be from 1 to %s", maxElements, HARD_MAX_ELEMENTS);
        Long previous = SCOPED.get();
        SCOPED.set(maxElements);
        return () -> {
            if (previous == null) SCOPED.remove();
            else SCOPED.set(previous);
        };
    }

    /** A limit set by {@link #scope(long)}; closing it restores the previous one. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The product of non-negative factors, {@code Long.MAX_VALUE} when it would overflow. */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f == 0) return 0;
            if (p > Long.MAX_VALUE / f) p = Long.MAX_VALUE;
            else p *= f;
        }
        return p;
    }

    /** The sum, {@code Long.MAX_VALUE} / {@code Long.MIN_VALUE} when it would overflow. */
    public static long sum(long a, long b) {
        long s = a + b;
        if (((a ^ s) & (b ^ s)) < 0) return a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        return s;
    }

    /** {@code elements} of the tensor {@code what} must not exceed {@link #maxElements()}. */
    static void checkElements(String who, String what, long elements) {
        long max = maxElements();
        checkArgument(elements <= max,
                "%s: %s would hold %s elements, over the limit of %s elements per tensor "
                        + "(SizeLimits; -D%s=N raises it, up to %s)",
                who, what, elements == Long.MAX_VALUE ? "more than 9.2e18" : elements, max, PROPERTY, HARD_MAX_ELEMENTS);
    }

    /** A per-axis length must be at most {@link #MAX_EXTENT}. */
    static void checkExtent(String who, String what, long extent) {
        checkArgument(extent <= MAX_EXTENT,
                "%s: %s would be %s long, over the limit of %s per axis (DL4J's ops take int sizes)",
                who, what, extent == Long.MAX_VALUE ? "more than 9.2e18" : extent, MAX_EXTENT);
    }
}
