package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;

/**
 * The padding of a convolution, in every form BrainState accepts. A {@code Padding} keeps the form
 * the user wrote; {@link ConvSpec} resolves it against the layer's number of spatial axes when the
 * layer is built (so a wrong length is reported together with the layer's rank).
 *
 * <ul>
 *   <li>{@link #SAME} / {@link #VALID} (or {@link #of(String)});</li>
 *   <li>{@link #of(int)}: {@code (p, p)} on every spatial axis;</li>
 *   <li>{@link #perAxis(int...)}: one symmetric amount per axis, {@code (1, 2)} in 2-D meaning
 *       {@code ((1,1),(2,2))}; in 1-D a flat pair of length 2 is one {@code (lo, hi)} pair;</li>
 *   <li>{@link #pairs(int[]...)}: explicit {@code (lo, hi)} pairs, one per axis, or a single pair
 *       repeated on every axis. Negative amounts crop, as in {@code lax.conv_general_dilated}.</li>
 * </ul>
 */
public sealed interface Padding {

    /** Output size {@code ceil(in / stride)}; the odd padding pixel goes to the high side. */
    Padding SAME = new Same();
    /** No padding: output size {@code ceil((in - effectiveKernel + 1) / stride)}. */
    Padding VALID = new Valid();

    /** {@code "SAME"} or {@code "VALID"}; any other string is refused. */
    static Padding of(String mode) {
        checkArgument(mode != null && (mode.equals("SAME") || mode.equals("VALID")),
                "Padding.of: padding (='%s') must be 'SAME' or 'VALID' when given as a string", mode);
        return mode.equals("SAME") ? SAME : VALID;
    }

    /** {@code (p, p)} on every spatial axis. */
    static Padding of(int p) {
        return new Explicit(new int[][] {{p, p}}, Explicit.Form.SCALAR);
    }

    /** A flat sequence: one symmetric amount per spatial axis (1-D: a length-2 sequence is one pair). */
    static Padding perAxis(int... amounts) {
        checkArgument(amounts != null && amounts.length > 0,
                "Padding.perAxis: padding (=%s) must not be an empty sequence", amounts);
        int[][] rows = new int[amounts.length][];
        for (int i = 0; i < amounts.length; i++) rows[i] = new int[] {amounts[i]};
        return new Explicit(rows, Explicit.Form.FLAT);
    }

    /** Explicit {@code (lo, hi)} pairs: one per spatial axis, or one pair repeated on every axis. */
    static Padding pairs(int[]... pairs) {
        checkArgument(pairs != null && pairs.length > 0,
                "Padding.pairs: padding (=%s) must not be an empty sequence of (lo, hi) pairs", (Object) pairs);
        for (int[] pair : pairs) {
            checkArgument(pair != null && pair.length == 2,
                    "Padding.pairs: padding (=%s) must be a sequence of (lo, hi) pairs; %s is not a pair",
                    (Object) pairs, pair);
        }
        int[][] copy = new int[pairs.length][];
        for (int i = 0; i < pairs.length; i++) copy[i] = pairs[i].clone();
        return new Explicit(copy, Explicit.Form.PAIRS);
    }

    /** The string modes. */
    record Same() implements Padding {
        @Override public String toString() { return "SAME"; }
    }

    /** The string modes. */
    record Valid() implements Padding {
        @Override public String toString() { return "VALID"; }
    }

    /** An explicit padding as written; {@link ConvSpec} resolves it into one pair per axis. */
    final class Explicit implements Padding {
        /** How an explicit padding was written, which decides how it is resolved against the rank. */
        private enum Form { SCALAR, FLAT, PAIRS }

        private final int[][] written;
        private final Form form;

        private Explicit(int[][] written, Form form) {
            this.written = written;
            this.form = form;
        }

        /** One {@code (lo, hi)} pair per spatial axis, following BrainState's rules for each form. */
        int[][] resolve(int spatialDims) {
            int[][] out = new int[spatialDims][];
            switch (form) {
                case SCALAR -> {
                    for (int i = 0; i < spatialDims; i++) out[i] = written[0].clone();
                }
                case FLAT -> {
                    int[] flat = flat();
                    if (spatialDims == 1 && flat.length == 2) {
                        out[0] = new int[] {flat[0], flat[1]};
                    } else {
                        checkArgument(flat.length == spatialDims,
                                "padding (=%s) given as a flat integer sequence must have length %s "
                                        + "(one value per spatial dimension)%s",
                                flat, spatialDims, spatialDims == 1 ? " or 2 (one (lo, hi) pair)" : "");
                        for (int i = 0; i < spatialDims; i++) out[i] = new int[] {flat[i], flat[i]};
                    }
                }
                case PAIRS -> {
                    checkArgument(written.length == 1 || written.length == spatialDims,
                            "padding (=%s) must be one (lo, hi) pair or a sequence of %s (lo, hi) pairs",
                            (Object) written, spatialDims);
                    for (int i = 0; i < spatialDims; i++) {
                        out[i] = written[written.length == 1 ? 0 : i].clone();
                    }
                }
            }
            return out;
        }

        private int[] flat() {
            int[] flat = new int[written.length];
            for (int i = 0; i < written.length; i++) flat[i] = written[i][0];
            return flat;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Explicit e && e.form == form && Arrays.deepEquals(e.written, written);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(written) * 31 + form.hashCode();
        }

        @Override
        public String toString() {
            return switch (form) {
                case SCALAR -> String.valueOf(written[0][0]);
                case FLAT -> Arrays.toString(flat());
                case PAIRS -> Arrays.deepToString(written);
            };
        }
    }
}
