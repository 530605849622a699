package org.brainstate4j;

import java.util.Arrays;

/**
 * Argument checks in the style of Guava's {@code Preconditions}: every failure is an
 * {@link IllegalArgumentException} whose message names the argument, its value and the rule.
 */
public final class Checks {
    private Checks() {}

    /** Throws {@code IllegalArgumentException(String.format(message, args))} unless {@code condition}. */
    public static void checkArgument(boolean condition, String message, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(message, formatAll(args)));
        }
    }

    /** Formats arrays the way Python prints tuples, so messages read like BrainState's. */
    public static String format(Object value) {
        if (value instanceof int[] a) return Arrays.toString(a);
        if (value instanceof long[] a) return Arrays.toString(a);
        if (value instanceof double[] a) return Arrays.toString(a);
        if (value instanceof int[][] a) return Arrays.deepToString(a);
        if (value instanceof Object[] a) return Arrays.deepToString(a);
        return String.valueOf(value);
    }

    private static Object[] formatAll(Object[] args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            out[i] = (a != null && a.getClass().isArray()) ? format(a) : a;
        }
        return out;
    }
}
