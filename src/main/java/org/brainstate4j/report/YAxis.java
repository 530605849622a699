package org.brainstate4j.report;

/**
 * A y axis of a {@link Plots#trainingCurves(java.nio.file.Path, String, java.util.List, String, YAxis, YAxis)}
 * panel: its title, which should name the quantity and its unit (e.g. {@code "loss (cross-entropy per image)"},
 * {@code "memory (MiB)"}), and optionally a fixed range. An end left as NaN follows the data (the chart
 * leaves a small margin beyond it); a fixed end is used as given, and values beyond it are cut off at the
 * frame.
 *
 * @param title axis title, not blank
 * @param min   lower end, or NaN to follow the data
 * @param max   upper end, or NaN to follow the data; greater than {@code min} when both are given
 */
public record YAxis(String title, double min, double max) {

    public YAxis {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("axis title must not be blank, got '" + title + "'");
        }
        if (Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("axis '" + title + "': min and max must be finite or NaN, got min = "
                    + min + ", max = " + max);
        }
        if (!Double.isNaN(min) && !Double.isNaN(max) && !(min < max)) {
            throw new IllegalArgumentException("axis '" + title + "': min (=" + min + ") must be less than max (="
                    + max + ")");
        }
    }

    /** Range from the data. */
    public static YAxis of(String title) {
        return new YAxis(title, Double.NaN, Double.NaN);
    }

    /** Fixed range 0 to 1, for fractions such as accuracy or IoU. */
    public static YAxis fraction(String title) {
        return new YAxis(title, 0, 1);
    }

    /** From 0 to the data's maximum, for amounts such as memory, where the distance from zero matters. */
    public static YAxis fromZero(String title) {
        return new YAxis(title, 0, Double.NaN);
    }
}
