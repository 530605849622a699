package org.brainstate4j.report;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Static methods that write training reports as PNG files: training curves, confusion matrices, image
 * grids and segmentation overlays. {@link Images} turns ND4J arrays into their inputs; the drawing is done
 * by one renderer per kind of picture.
 *
 * <p>Every method validates its input first and throws {@link IllegalArgumentException} naming the argument
 * (and both sizes, for mismatches); then it renders in memory and writes the PNG atomically (temp file in
 * the same directory, then an atomic rename), creating missing parent directories. Rendering is headless:
 * loading this class sets {@code java.awt.headless=true} unless the property is already set.
 */
public final class Plots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {}

    // =============================================================================================
    // training curves

    /**
     * Line chart of named series, e.g. {@code {"train loss": perIteration, "validation loss": perEpoch}}, in one
     * panel whose y axis is titled {@code yLabel} (name the quantity and its unit, e.g. "cross-entropy").
     * All series are taken to span the same run: the shortest, of length m, is drawn at x = 1..m and a
     * series of length n at x = (i + 1)·m/n, so 500 per-iteration losses and 5 per-epoch losses share an
     * epoch axis (the last iteration of epoch e lands on x = e). Series of equal length are drawn at 1..n.
     * For explicit x values, a second panel or a fixed y range use
     * {@link #trainingCurves(Path, String, List, String, YAxis, YAxis)}.
     *
     * @param series legend name → y values (iteration order is the legend order: use a LinkedHashMap); not
     *               empty, no empty arrays
     * @param xLabel x axis title, not blank
     * @param yLabel y axis title, not blank
     */
    public static void trainingCurves(Path png, String title, Map<String, double[]> series, String xLabel,
                                      String yLabel) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("series must not be empty (got " + (series == null ? "null" : "0 series") + ")");
        }
        int m = Integer.MAX_VALUE;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue() == null || e.getValue().length == 0) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' is empty (0 values)");
            }
            m = Math.min(m, e.getValue().length);
        }
        List<Series> list = new ArrayList<>();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = (i + 1) * (double) m / y.length;
            }
            list.add(Series.of(e.getKey(), x, y));
        }
        trainingCurves(png, title, list, xLabel, yAxis("yLabel", yLabel), null);
    }

    /**
     * Line chart of {@link Series}, y ranges following the data: those marked {@link Series#onRightAxis()}
     * are drawn in a second panel to the right, against its own y axis titled {@code rightYLabel}
     * (e.g. accuracy next to a loss), the others in the left panel against {@code yLabel}.
     *
     * @param yLabel      title of the left panel's y axis, not blank
     * @param rightYLabel title of the right panel's y axis; may be null when no series is on it
     * @see #trainingCurves(Path, String, List, String, YAxis, YAxis)
     */
    public static void trainingCurves(Path png, String title, List<Series> series, String xLabel, String yLabel,
                                      String rightYLabel) {
        trainingCurves(png, title, series, xLabel, yAxis("yLabel", yLabel),
                rightYLabel == null ? null : yAxis("rightYLabel", rightYLabel));
    }

    /**
     * Line chart of {@link Series} in one panel, or two side by side: the series marked
     * {@link Series#onRightAxis()} are drawn in a right-hand panel against the axis {@code right}, the others
     * in the left panel against {@code left}; both panels share the x axis titled {@code xLabel} and its range.
     * Each panel is an XChart line chart of its own (so each y axis gets ticks from its own series): every
     * axis has labelled ticks at round values (whole numbers on an x axis whose values reach 1, such as
     * epochs), spaced so that labels do not crowd; each panel has a legend of its series underneath. Series
     * with up to 60 points get markers; non-finite points leave a gap. The picture is 900 × 540 px with one
     * panel, 1240 × 540 with two.
     *
     * <p>For example the main job's curves: the training loss against
     * {@code YAxis.of("loss (cross-entropy per image)")} and the validation accuracy against
     * {@code YAxis.fraction("accuracy")} (0 to 1).
     *
     * @param xLabel x axis title, not blank
     * @param left   axis of the series not marked {@code onRightAxis()}; may be null when there are none
     * @param right  axis of the series marked {@code onRightAxis()}; may be null when there are none
     */
    public static void trainingCurves(Path png, String title, List<Series> series, String xLabel, YAxis left,
                                      YAxis right) {
        Png.write(png, renderCurves(title, series, xLabel, left, right).render());
    }

    static CurvesRenderer renderCurves(String title, List<Series> series, String xLabel, YAxis left, YAxis right) {
        return new CurvesRenderer(title, series, xLabel, left, right);
    }

    private static YAxis yAxis(String argument, String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException(argument + " must not be blank, got '" + title + "'");
        }
        return YAxis.of(title);
    }

    // =============================================================================================
    // confusion matrix

    /** {@link #confusionMatrix(Path, long[][], List, String)} titled "Confusion matrix". */
    public static void confusionMatrix(Path png, long[][] counts, List<String> classNames) {
        confusionMatrix(png, counts, classNames, "Confusion matrix");
    }

    /**
     * Heatmap of {@code counts[true][predicted]}: each cell's colour is its share of its row (so the diagonal
     * reads as per-class recall whatever the class sizes), and the cell shows the raw count and that share;
     * class names label both axes (rows "True class", columns "Predicted class", rotated 45° when long), with
     * row totals, a colour bar, and the overall accuracy under the title. Cells are 60 px for 10 classes.
     *
     * <p>Drawn with java.awt rather than XChart's HeatMapChart: HeatMapChart colours a cell by the number it
     * prints, so row-normalised colours with raw counts in the cells are not possible, and it has no control
     * over label rotation for long class names.
     *
     * @param counts     square, non-negative
     * @param classNames one per row of {@code counts}
     */
    public static void confusionMatrix(Path png, long[][] counts, List<String> classNames, String title) {
        Png.write(png, renderConfusion(counts, classNames, title).render());
    }

    static ConfusionMatrixRenderer renderConfusion(long[][] counts, List<String> classNames, String title) {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("counts must not be empty (got " + (counts == null ? "null" : "0 rows") + ")");
        }
        int n = counts.length;
        for (int r = 0; r < n; r++) {
            if (counts[r] == null || counts[r].length != n) {
                throw new IllegalArgumentException("counts must be square: row " + r + " has "
                        + (counts[r] == null ? 0 : counts[r].length) + " columns but counts has " + n + " rows");
            }
            for (int c = 0; c < n; c++) {
                if (counts[r][c] < 0) {
                    throw new IllegalArgumentException("counts must be non-negative, counts[" + r + "][" + c + "] = "
                            + counts[r][c]);
                }
            }
        }
        checkNames(classNames, n, "counts is " + n + " x " + n);
        return new ConfusionMatrixRenderer(counts, List.copyOf(classNames), title == null ? "" : title);
    }

    // =============================================================================================
    // image grids

    /**
     * Images in a {@code rows × cols} grid, filled row by row, each with an optional caption underneath
     * (wrapped at spaces onto up to three lines of the image's width; only what still does not fit is cut).
     * Small images are enlarged by a whole factor (nearest neighbour, so pixels stay sharp) until the
     * larger side is at least 96 px.
     *
     * @param images   1..rows·cols images (sizes may differ; cells fit the largest)
     * @param captions null, or one per image
     */
    public static void imageGrid(Path png, List<BufferedImage> images, int rows, int cols, List<String> captions) {
        Png.write(png, GridRenderer.render(images, rows, cols, captions, null, null));
    }

    /** {@link #imageGrid(Path, List, int, int, List)} for float images [n][H][W][C], C = 1 or 3, values in [0, 1]. */
    public static void imageGrid(Path png, float[][][][] images, int rows, int cols, List<String> captions) {
        imageGrid(png, Images.toImages(images), rows, cols, captions);
    }

    /**
     * Reconstruction check: the first {@code maxSamples} originals in the top row and their reconstructions
     * in the bottom row, labelled at the left. Both arrays are NHWC (or NHW) floats in [0, 1] of the same shape.
     */
    public static void reconstructionGrid(Path png, INDArray originals, INDArray reconstructions, int maxSamples) {
        if (originals == null || reconstructions == null) {
            throw new IllegalArgumentException("originals and reconstructions must not be null");
        }
        if (!Arrays.equals(originals.shape(), reconstructions.shape())) {
            throw new IllegalArgumentException("originals has shape " + Arrays.toString(originals.shape())
                    + " but reconstructions has shape " + Arrays.toString(reconstructions.shape()));
        }
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be >= 1, got " + maxSamples);
        }
        long n = Math.min(maxSamples, originals.size(0));
        INDArray o = originals.get(NDArrayIndex.interval(0, n));
        INDArray r = reconstructions.get(NDArrayIndex.interval(0, n));
        List<BufferedImage> imgs = new ArrayList<>(Images.toImages(o));
        imgs.addAll(Images.toImages(r));
        Png.write(png, GridRenderer.render(imgs, 2, (int) n, null, List.of("original", "reconstruction"), null));
    }

    // =============================================================================================
    // segmentation

    /**
     * One row per sample: the image, the ground-truth label map and the predicted label map in colour
     * (class 0, taken as background, is black; other classes get fixed distinct colours; labels outside
     * [0, classNames.size()), e.g. an "ignore" value of 255, are white), the prediction's pixel accuracy under
     * it, and a legend of all classes at the bottom. Small images are enlarged by a whole factor (nearest
     * neighbour) to at least 128 px.
     *
     * @param images     [n][H][W][C] floats in [0, 1], C = 3 (RGB) or 1 (grey)
     * @param trueLabels [n][H][W] class indices
     * @param predicted  [n][H][W] class indices
     * @param classNames index → name, at least one
     */
    public static void segmentationOverlays(Path png, float[][][][] images, int[][][] trueLabels, int[][][] predicted,
                                            List<String> classNames) {
        if (trueLabels == null) {
            throw new IllegalArgumentException("trueLabels has 0 samples but images has " + (images == null ? 0 : images.length));
        }
        Png.write(png, SegmentationRenderer.render(images, trueLabels, predicted, classNames));
    }

    /**
     * {@link #segmentationOverlays(Path, float[][][][], int[][][], int[][][], List)} from ND4J arrays: images
     * NHWC (or NHW) floats; labels and predictions as accepted by {@link Images#toLabelMaps(INDArray)} (class
     * indices [N, H, W], or one-hot/probabilities/logits [N, H, W, K]).
     */
    public static void segmentationOverlays(Path png, INDArray images, INDArray trueLabels, INDArray predicted,
                                            List<String> classNames) {
        if (images == null || trueLabels == null || predicted == null) {
            throw new IllegalArgumentException("images, trueLabels and predicted must not be null");
        }
        segmentationOverlays(png, Images.toFloatImages(images), Images.toLabelMaps(trueLabels), Images.toLabelMaps(predicted),
                classNames);
    }

    /**
     * One image and a predicted label map (no ground truth) as a PNG: the image, the image with each
     * non-background class tinted in its colour (half and half), and the label map, with a legend.
     *
     * @param image     [H][W][C] floats in [0, 1], C = 3 (RGB) or 1 (grey)
     * @param predicted [H][W] class indices, class 0 the background
     */
    public static void segmentationOverlay(Path png, float[][][] image, int[][] predicted, List<String> classNames) {
        Png.write(png, SegmentationRenderer.render(new float[][][][] {image}, null, new int[][][] {predicted}, classNames));
    }

    // =============================================================================================
    // helpers

    private static void checkNames(List<String> names, int n, String against) {
        if (names == null || names.size() != n) {
            throw new IllegalArgumentException("classNames has " + (names == null ? 0 : names.size())
                    + " names but " + against);
        }
        for (int i = 0; i < n; i++) {
            if (names.get(i) == null) {
                throw new IllegalArgumentException("classNames[" + i + "] is null");
            }
        }
    }
}
