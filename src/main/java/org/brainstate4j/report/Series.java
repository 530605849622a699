package org.brainstate4j.report;

import java.util.Arrays;

/**
 * One line of a {@link Plots#trainingCurves(java.nio.file.Path, String, java.util.List, String, YAxis, YAxis)}
 * chart: a name for the legend, x and y values of equal length, and which panel's y axis it is drawn against
 * (the left panel's, or with {@link #onRightAxis()} the right panel's).
 * Series of different lengths share the x axis through their x values, e.g. a per-iteration training
 * loss ({@link #perIteration}: x in fractional epochs) and a per-epoch validation loss ({@link #perEpoch}:
 * x = 1, 2, ...). Non-finite points (a diverged loss) are left out of the drawing: the line has a gap there.
 *
 * @param name      legend entry, not blank
 * @param x         x values
 * @param y         y values, as many as {@code x}
 * @param rightAxis draw in the right-hand panel, against its own y axis, e.g. accuracy next to a loss
 */
public record Series(String name, double[] x, double[] y, boolean rightAxis) {

    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("series name must not be blank, got '" + name + "'");
        }
        if (x == null || y == null) {
            throw new IllegalArgumentException("series '" + name + "': x and y must not be null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length
                    + " values but y has " + y.length);
        }
        if (y.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' is empty (0 values)");
        }
        x = x.clone();
        y = y.clone();
    }

    /** Left axis, explicit x. */
    public static Series of(String name, double[] x, double[] y) {
        return new Series(name, x, y, false);
    }

    /** Left axis, x = 1, 2, ..., n. */
    public static Series of(String name, double[] y) {
        return new Series(name, oneBased(y == null ? 0 : y.length), y, false);
    }

    /** One value per epoch: x = 1, 2, ..., n (epoch i ends at x = i). */
    public static Series perEpoch(String name, double[] y) {
        return of(name, y);
    }

    /**
     * One value per training iteration, x in epochs: iteration i (0-based) is drawn at
     * {@code (i + 1) / iterationsPerEpoch}, so the last iteration of epoch e lands on x = e, where
     * {@link #perEpoch} puts that epoch's value.
     */
    public static Series perIteration(String name, double[] y, int iterationsPerEpoch) {
        if (iterationsPerEpoch < 1) {
            throw new IllegalArgumentException("series '" + name + "': iterationsPerEpoch must be >= 1, got "
                    + iterationsPerEpoch);
        }
        int n = y == null ? 0 : y.length;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i + 1) / (double) iterationsPerEpoch;
        }
        return new Series(name, x, y, false);
    }

    /** The same series drawn in the right-hand panel, against that panel's own y axis. */
    public Series onRightAxis() {
        return new Series(name, x, y, true);
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    @Override
    public String toString() {
        return "Series[" + name + ", " + y.length + " points" + (rightAxis ? ", right axis" : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && s.name.equals(name) && s.rightAxis == rightAxis
                && Arrays.equals(s.x, x) && Arrays.equals(s.y, y);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(x)) + Arrays.hashCode(y);
    }

    static double[] oneBased(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }
}
