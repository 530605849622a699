package org.brainstate4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Static methods that write training reports as PNG files, plus helpers that turn ND4J arrays (NHWC float
 * images, label maps, one-hot labels or class scores) into their inputs.
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

    /** Line colours (Tableau 10). */
    private static final Color[] LINE_COLOURS = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
    };
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font HEADER_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Color MUTED = new Color(0x55, 0x55, 0x55);

    static final int CURVES_WIDTH = 900;
    static final int CURVES_HEIGHT = 540;

    private Plots() {}

    // =============================================================================================
    // training curves

    /**
     * Line chart of named series, e.g. {@code {"train loss": perIteration, "validation loss": perEpoch}}.
     * All series are taken to span the same run: the shortest, of length m, is drawn at x = 1..m and a
     * series of length n at x = (i + 1)·m/n, so 500 per-iteration losses and 5 per-epoch losses share an
     * epoch axis (the last iteration of epoch e lands on x = e). Series of equal length are drawn at 1..n.
     * For explicit x values or a second y axis use {@link #trainingCurves(Path, String, List, String, String, String)}.
     *
     * @param series legend name → y values (iteration order is the legend order: use a LinkedHashMap); not
     *               empty, no empty arrays
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
        trainingCurves(png, title, list, xLabel, yLabel, null);
    }

    /**
     * Line chart of {@link Series}; those marked {@link Series#onRightAxis()} use a second y axis titled
     * {@code rightYLabel} (e.g. accuracy next to a loss). Series with up to 60 points get markers.
     *
     * @param rightYLabel title of the right axis; may be null when no series is on it
     */
    public static void trainingCurves(Path png, String title, List<Series> series, String xLabel, String yLabel,
                                      String rightYLabel) {
        Png.write(png, renderCurves(title, series, xLabel, yLabel, rightYLabel));
    }

    static BufferedImage renderCurves(String title, List<Series> series, String xLabel, String yLabel,
                                      String rightYLabel) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("series must not be empty (got " + (series == null ? "null" : "0 series") + ")");
        }
        Set<String> names = new HashSet<>();
        boolean anyRight = false;
        for (Series s : series) {
            if (s == null) {
                throw new IllegalArgumentException("series must not contain null");
            }
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("series names must be unique, '" + s.name() + "' appears twice");
            }
            anyRight |= s.rightAxis();
        }
        XYChart chart = new XYChartBuilder().width(CURVES_WIDTH).height(CURVES_HEIGHT)
                .title(title == null ? "" : title).xAxisTitle(xLabel == null ? "" : xLabel)
                .yAxisTitle(yLabel == null ? "" : yLabel).build();
        XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(new Color(0xBB, 0xBB, 0xBB));
        st.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
        st.setChartTitleBoxVisible(false);
        st.setChartTitleFont(TITLE_FONT);
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(LABEL_FONT);
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setSeriesColors(LINE_COLOURS);
        st.setMarkerSize(6);
        st.setChartPadding(12);
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        if (anyRight) {
            st.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.setYAxisGroupTitle(0, yLabel == null ? "" : yLabel);
            chart.setYAxisGroupTitle(1, rightYLabel == null ? "" : rightYLabel);
        }
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double[][] yRange = {{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}};
        for (Series s : series) {
            double[] x = s.x(), y = s.y();
            int finite = 0;
            for (int i = 0; i < y.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) finite++;
            }
            if (finite == 0) {
                throw new IllegalArgumentException("series '" + s.name() + "' has no finite points (" + y.length
                        + " values, all NaN or infinite)");
            }
            double[] fx = new double[finite], fy = new double[finite];
            for (int i = 0, j = 0; i < y.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                    fx[j] = x[i];
                    fy[j++] = y[i];
                    minX = Math.min(minX, x[i]);
                    maxX = Math.max(maxX, x[i]);
                    double[] r = yRange[s.rightAxis() ? 1 : 0];
                    r[0] = Math.min(r[0], y[i]);
                    r[1] = Math.max(r[1], y[i]);
                }
            }
            XYSeries xs = chart.addSeries(s.name(), fx, fy);
            xs.setMarker(finite <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            xs.setLineStyle(new BasicStroke(finite > 300 ? 1.2f : 2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            if (s.rightAxis()) {
                xs.setYAxisGroup(1);
            }
        }
        // Whole-number x range (fractional epochs 0.008..5 become 0..5), so XChart picks round ticks
        // instead of labels such as ".008333333"; short decimals only.
        double lo = Math.floor(minX), hi = Math.ceil(maxX);
        if (hi > lo) {
            st.setXAxisMin(lo);
            st.setXAxisMax(hi);
        }
        st.setXAxisDecimalPattern("#,##0.##");
        if (hi - lo >= 2) {
            // XChart ignores the spacing hint and crowds ~30 labels (0.3, 0.6, ...) onto an epoch axis;
            // labelling whole numbers only makes it place its ticks there.
            st.setxAxisTickLabelsFormattingFunction(v -> Math.abs(v - Math.rint(v)) < 1e-9 ? String.format("%,d", (long) Math.rint(v)) : "");
        }
        for (int group = 0; group < 2; group++) {
            double yLo = yRange[group][0], yHi = yRange[group][1];
            if (yLo > yHi) continue; // no series on this axis
            if (yHi - yLo <= 1e-12 * Math.max(1, Math.abs(yHi))) {
                // One value (e.g. a single epoch's validation metric): XChart would label the axis with that
                // value in full (0.138121744791667) whatever the pattern. Span the round interval around it
                // (0.1 to 0.2), whose ends XChart labels.
                double step = yHi == 0 ? 1 : Math.pow(10, Math.floor(Math.log10(Math.abs(yHi))));
                yLo = Math.floor(yHi / step) * step;
                if (yLo == yHi) yLo -= step;
                yHi = yLo + (yLo + step > yHi ? step : 2 * step);
                st.setYAxisMin(group, yLo);
                st.setYAxisMax(group, yHi);
            }
            st.putYAxisGroupDecimalPatternMap(group, tickPattern(yLo, yHi));
        }
        st.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Decimal pattern for the ticks of an axis whose data spans {@code [min, max]}: enough decimals to
     * tell ticks a tenth of the span apart, or (one value) three significant digits, at most 8.
     */
    static String tickPattern(double min, double max) {
        double span = max - min, magnitude = Math.max(Math.abs(min), Math.abs(max));
        int decimals;
        if (span > 1e-12 * Math.max(1, magnitude)) {
            decimals = (int) Math.ceil(-Math.log10(span / 10));
        } else {
            decimals = magnitude > 0 ? 2 - (int) Math.floor(Math.log10(magnitude)) : 0;
        }
        decimals = Math.max(0, Math.min(8, decimals));
        return decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals);
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

    /** {@code counts[t][p]} = number of i with {@code trueLabels[i] == t} and {@code predicted[i] == p}. */
    public static long[][] confusionCounts(int[] trueLabels, int[] predicted, int numClasses) {
        if (trueLabels == null || predicted == null) {
            throw new IllegalArgumentException("trueLabels and predicted must not be null");
        }
        if (trueLabels.length != predicted.length) {
            throw new IllegalArgumentException("trueLabels has " + trueLabels.length + " entries but predicted has "
                    + predicted.length);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        long[][] counts = new long[numClasses][numClasses];
        for (int i = 0; i < trueLabels.length; i++) {
            int t = trueLabels[i], p = predicted[i];
            if (t < 0 || t >= numClasses) {
                throw new IllegalArgumentException("trueLabels[" + i + "] = " + t + " is outside [0, " + numClasses + ")");
            }
            if (p < 0 || p >= numClasses) {
                throw new IllegalArgumentException("predicted[" + i + "] = " + p + " is outside [0, " + numClasses + ")");
            }
            counts[t][p]++;
        }
        return counts;
    }

    /**
     * Confusion counts from ND4J arrays of any matching shape: an array whose last dimension is
     * {@code numClasses} (> 1) holds one-hot labels, probabilities or logits and is reduced by arg-max over
     * it (e.g. [N, K] classifier outputs, [N, H, W, K] segmentation outputs); otherwise it holds class
     * indices (e.g. [N], [N, 1], [N, H, W]).
     */
    public static long[][] confusionCounts(INDArray trueLabels, INDArray predicted, int numClasses) {
        if (trueLabels == null || predicted == null) {
            throw new IllegalArgumentException("trueLabels and predicted must not be null");
        }
        return confusionCounts(classIndices(trueLabels, numClasses), classIndices(predicted, numClasses), numClasses);
    }

    private static int[] classIndices(INDArray a, int numClasses) {
        INDArray idx = a.rank() >= 2 && numClasses > 1 && a.size(a.rank() - 1) == numClasses
                ? Nd4j.argMax(a, a.rank() - 1) : a;
        INDArray flat = idx.castTo(DataType.DOUBLE).reshape(idx.length());
        double[] d = flat.toDoubleVector();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) Math.round(d[i]);
        }
        return out;
    }

    // =============================================================================================
    // image grids

    /**
     * Images in a {@code rows × cols} grid, filled row by row, each with an optional caption underneath.
     * Small images are enlarged by a whole factor (nearest neighbour, so pixels stay sharp) until the
     * larger side is at least 96 px.
     *
     * @param images   1..rows·cols images (sizes may differ; cells fit the largest)
     * @param captions null, or one per image
     */
    public static void imageGrid(Path png, List<BufferedImage> images, int rows, int cols, List<String> captions) {
        Png.write(png, renderGrid(images, rows, cols, captions, null, null));
    }

    /** {@link #imageGrid(Path, List, int, int, List)} for float images [n][H][W][C], C = 1 or 3, values in [0, 1]. */
    public static void imageGrid(Path png, float[][][][] images, int rows, int cols, List<String> captions) {
        imageGrid(png, toImages(images), rows, cols, captions);
    }

    /**
     * Reconstruction check: the first {@code maxSamples} originals in the top row and their reconstructions
     * in the bottom row, labelled at the left. Both arrays are NHWC (or NHW) floats in [0, 1] of the same shape.
     */
    public static void reconstructionGrid(Path png, INDArray originals, INDArray reconstructions, int maxSamples) {
        if (originals == null || reconstructions == null) {
            throw new IllegalArgumentException("originals and reconstructions must not be null");
        }
        if (!java.util.Arrays.equals(originals.shape(), reconstructions.shape())) {
            throw new IllegalArgumentException("originals has shape " + java.util.Arrays.toString(originals.shape())
                    + " but reconstructions has shape " + java.util.Arrays.toString(reconstructions.shape()));
        }
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be >= 1, got " + maxSamples);
        }
        long n = Math.min(maxSamples, originals.size(0));
        INDArray o = originals.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
        INDArray r = reconstructions.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
        List<BufferedImage> imgs = new ArrayList<>(toImages(o));
        imgs.addAll(toImages(r));
        Png.write(png, renderGrid(imgs, 2, (int) n, null, List.of("original", "reconstruction"), null));
    }

    static BufferedImage renderGrid(List<BufferedImage> images, int rows, int cols, List<String> captions,
                                    List<String> rowLabels, String title) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("images must not be empty (got " + (images == null ? "null" : "0 images") + ")");
        }
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("rows and cols must be >= 1, got rows = " + rows + ", cols = " + cols);
        }
        if (images.size() > (long) rows * cols) {
            throw new IllegalArgumentException("images has " + images.size() + " images but the grid is " + rows + " x "
                    + cols + " = " + rows * cols + " cells");
        }
        if (captions != null && captions.size() != images.size()) {
            throw new IllegalArgumentException("captions has " + captions.size() + " entries but images has "
                    + images.size());
        }
        int maxW = 0, maxH = 0;
        for (int i = 0; i < images.size(); i++) {
            BufferedImage im = images.get(i);
            if (im == null) {
                throw new IllegalArgumentException("images[" + i + "] is null");
            }
            maxW = Math.max(maxW, im.getWidth());
            maxH = Math.max(maxH, im.getHeight());
        }
        int s = scaleFor(Math.max(maxW, maxH), 96);
        int cellW = maxW * s, cellH = maxH * s;
        int pad = 10;

        Graphics2D mg = scratch();
        FontMetrics lm = mg.getFontMetrics(LABEL_FONT);
        FontMetrics hm = mg.getFontMetrics(HEADER_FONT);
        int rowLabelW = 0;
        if (rowLabels != null) {
            for (String l : rowLabels) {
                rowLabelW = Math.max(rowLabelW, hm.stringWidth(l));
            }
            rowLabelW += 12;
        }
        mg.dispose();
        int captionH = captions != null ? lm.getHeight() + 4 : 0;
        int titleH = title != null ? 30 : 0;
        int width = pad + rowLabelW + cols * (cellW + pad);
        int height = pad + titleH + rows * (cellH + captionH + pad);

        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(out);
        try {
            if (title != null) {
                g.setFont(TITLE_FONT);
                g.setColor(Color.BLACK);
                g.drawString(title, pad, pad + g.getFontMetrics().getAscent());
            }
            for (int i = 0; i < images.size(); i++) {
                int r = i / cols, c = i % cols;
                int x = pad + rowLabelW + c * (cellW + pad);
                int y = pad + titleH + r * (cellH + captionH + pad);
                BufferedImage im = images.get(i);
                int w = im.getWidth() * s, h = im.getHeight() * s;
                int ix = x + (cellW - w) / 2, iy = y + (cellH - h) / 2;
                g.drawImage(im, ix, iy, w, h, null);
                g.setColor(new Color(0xCC, 0xCC, 0xCC));
                g.drawRect(ix - 1, iy - 1, w + 1, h + 1);
                if (captions != null && captions.get(i) != null) {
                    g.setFont(LABEL_FONT);
                    g.setColor(MUTED);
                    String cap = ellipsize(captions.get(i), lm, cellW + pad - 2);
                    g.drawString(cap, x + (cellW - lm.stringWidth(cap)) / 2, y + cellH + 3 + lm.getAscent());
                }
            }
            if (rowLabels != null) {
                g.setFont(HEADER_FONT);
                g.setColor(Color.BLACK);
                for (int r = 0; r < Math.min(rows, rowLabels.size()); r++) {
                    int y = pad + titleH + r * (cellH + captionH + pad) + (cellH + hm.getAscent() - hm.getDescent()) / 2;
                    g.drawString(rowLabels.get(r), pad, y);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
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
        Png.write(png, renderSegmentation(images, trueLabels, predicted, classNames));
    }

    /**
     * {@link #segmentationOverlays(Path, float[][][][], int[][][], int[][][], List)} from ND4J arrays: images
     * NHWC (or NHW) floats; labels and predictions as accepted by {@link #toLabelMaps(INDArray)} (class
     * indices [N, H, W], or one-hot/probabilities/logits [N, H, W, K]).
     */
    public static void segmentationOverlays(Path png, INDArray images, INDArray trueLabels, INDArray predicted,
                                            List<String> classNames) {
        if (images == null || trueLabels == null || predicted == null) {
            throw new IllegalArgumentException("images, trueLabels and predicted must not be null");
        }
        segmentationOverlays(png, toFloatImages(images), toLabelMaps(trueLabels), toLabelMaps(predicted), classNames);
    }

    /**
     * One image and a predicted label map (no ground truth) as a PNG: the image, the image with each
     * non-background class tinted in its colour (half and half), and the label map, with a legend.
     *
     * @param image     [H][W][C] floats in [0, 1], C = 3 (RGB) or 1 (grey)
     * @param predicted [H][W] class indices, class 0 the background
     */
    public static void segmentationOverlay(Path png, float[][][] image, int[][] predicted, List<String> classNames) {
        Png.write(png, renderSegmentation(new float[][][][] {image}, null, new int[][][] {predicted}, classNames));
    }

    /** As described at the two public callers; {@code trueLabels == null}: a prediction alone, with an overlay column. */
    static BufferedImage renderSegmentation(float[][][][] images, int[][][] trueLabels, int[][][] predicted,
                                            List<String> classNames) {
        if (images == null || images.length == 0) {
            throw new IllegalArgumentException("images must not be empty (got " + (images == null ? "null" : "0 images") + ")");
        }
        int n = images.length;
        boolean withTruth = trueLabels != null;
        if (withTruth && trueLabels.length != n) {
            throw new IllegalArgumentException("trueLabels has " + (trueLabels == null ? 0 : trueLabels.length)
                    + " samples but images has " + n);
        }
        if (predicted == null || predicted.length != n) {
            throw new IllegalArgumentException("predicted has " + (predicted == null ? 0 : predicted.length)
                    + " samples but images has " + n);
        }
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames must not be empty (got "
                    + (classNames == null ? "null" : "0 names") + ")");
        }
        int k = classNames.size();
        List<BufferedImage> imgs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            imgs.add(toImage(images[i], "images[" + i + "]"));
            int h = images[i].length, w = images[i][0].length;
            if (withTruth) checkMap(trueLabels[i], "trueLabels[" + i + "]", h, w, "images[" + i + "]");
            checkMap(predicted[i], "predicted[" + i + "]", h, w, "images[" + i + "]");
        }
        boolean anyIgnored = false;
        int maxW = 0, maxH = 0;
        for (int i = 0; i < n; i++) {
            maxH = Math.max(maxH, images[i].length);
            maxW = Math.max(maxW, images[i][0].length);
            anyIgnored |= (withTruth && hasOutOfRange(trueLabels[i], k)) || hasOutOfRange(predicted[i], k);
        }
        int s = scaleFor(Math.max(maxW, maxH), 128);
        int tileW = maxW * s, tileH = maxH * s;
        int pad = 12;

        Graphics2D mg = scratch();
        FontMetrics lm = mg.getFontMetrics(LABEL_FONT);
        FontMetrics hm = mg.getFontMetrics(HEADER_FONT);
        mg.dispose();
        int headerH = hm.getHeight() + 6;
        int captionH = lm.getHeight() + 4;
        int rowLabelW = hm.stringWidth("#" + (n - 1)) + 12;
        int gridW = rowLabelW + 3 * (tileW + pad);
        // legend: swatch + name entries flowing over lines of the grid's width (at least 420 px)
        List<String> legendNames = new ArrayList<>(classNames);
        List<Integer> legendRgb = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            legendRgb.add(Palette.classRgb(c));
        }
        if (anyIgnored) {
            legendNames.add("other label (not 0.." + (k - 1) + ")");
            legendRgb.add(Palette.IGNORE_RGB);
        }
        int width = pad + Math.max(gridW, 420);
        int lineW = width - 2 * pad;
        int sw = 14, entryGap = 16, lineH = Math.max(sw, lm.getHeight()) + 6;
        List<int[]> pos = new ArrayList<>(); // x, line
        int lx = 0, line = 0;
        for (String name : legendNames) {
            int ew = sw + 6 + lm.stringWidth(name);
            if (lx > 0 && lx + ew > lineW) {
                lx = 0;
                line++;
            }
            pos.add(new int[] {lx, line});
            lx += ew + entryGap;
        }
        int legendH = (line + 1) * lineH;
        int height = pad + headerH + n * (tileH + captionH + pad) + hm.getHeight() + 4 + legendH + pad;

        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(out);
        try {
            String[] headers = {"image", withTruth ? "ground truth" : "overlay", "prediction"};
            g.setFont(HEADER_FONT);
            g.setColor(Color.BLACK);
            for (int c = 0; c < 3; c++) {
                int x = pad + rowLabelW + c * (tileW + pad);
                g.drawString(headers[c], x + (tileW - hm.stringWidth(headers[c])) / 2, pad + hm.getAscent());
            }
            for (int i = 0; i < n; i++) {
                int y = pad + headerH + i * (tileH + captionH + pad);
                int h = images[i].length, w = images[i][0].length;
                BufferedImage[] tiles = {imgs.get(i),
                        withTruth ? labelImage(trueLabels[i], k) : tinted(imgs.get(i), predicted[i], k),
                        labelImage(predicted[i], k)};
                for (int c = 0; c < 3; c++) {
                    int x = pad + rowLabelW + c * (tileW + pad);
                    g.drawImage(tiles[c], x, y, w * s, h * s, null);
                    g.setColor(new Color(0xCC, 0xCC, 0xCC));
                    g.drawRect(x - 1, y - 1, w * s + 1, h * s + 1);
                }
                g.setFont(HEADER_FONT);
                g.setColor(Color.BLACK);
                g.drawString("#" + i, pad, y + (tileH + hm.getAscent()) / 2);
                if (!withTruth) continue;
                String acc = String.format(Locale.ROOT, "pixel accuracy %.1f%%", 100 * pixelAccuracy(trueLabels[i], predicted[i]));
                g.setFont(LABEL_FONT);
                g.setColor(MUTED);
                int px = pad + rowLabelW + 2 * (tileW + pad);
                String cap = ellipsize(acc, lm, tileW + pad);
                g.drawString(cap, px + (tileW - lm.stringWidth(cap)) / 2, y + tileH + 3 + lm.getAscent());
            }
            int ly = pad + headerH + n * (tileH + captionH + pad);
            g.setFont(HEADER_FONT);
            g.setColor(Color.BLACK);
            g.drawString("classes", pad, ly + hm.getAscent());
            ly += hm.getHeight() + 4;
            g.setFont(LABEL_FONT);
            for (int e = 0; e < legendNames.size(); e++) {
                int x = pad + pos.get(e)[0];
                int y = ly + pos.get(e)[1] * lineH;
                g.setColor(new Color(legendRgb.get(e)));
                g.fillRect(x, y, sw, sw);
                g.setColor(new Color(0x99, 0x99, 0x99));
                g.drawRect(x, y, sw, sw);
                g.setColor(Color.BLACK);
                g.drawString(legendNames.get(e), x + sw + 6, y + (sw + lm.getAscent() - lm.getDescent()) / 2);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void checkMap(int[][] map, String what, int h, int w, String imageName) {
        if (map == null || map.length != h || map.length == 0 || map[0] == null || map[0].length != w) {
            String got = map == null ? "null" : map.length + " x " + (map.length == 0 || map[0] == null ? 0 : map[0].length);
            throw new IllegalArgumentException(what + " is " + got + " but " + imageName + " is " + h + " x " + w);
        }
        for (int r = 0; r < h; r++) {
            if (map[r] == null || map[r].length != w) {
                throw new IllegalArgumentException(what + " row " + r + " has " + (map[r] == null ? 0 : map[r].length)
                        + " pixels but " + imageName + " is " + w + " wide");
            }
        }
    }

    private static boolean hasOutOfRange(int[][] map, int k) {
        for (int[] row : map) {
            for (int v : row) {
                if (v < 0 || v >= k) return true;
            }
        }
        return false;
    }

    private static double pixelAccuracy(int[][] t, int[][] p) {
        long same = 0, all = 0;
        for (int r = 0; r < t.length; r++) {
            for (int c = 0; c < t[r].length; c++) {
                same += t[r][c] == p[r][c] ? 1 : 0;
                all++;
            }
        }
        return all == 0 ? 0 : same / (double) all;
    }

    /** {@code img} with every pixel of a class other than 0 (background) mixed half and half with its class colour. */
    private static BufferedImage tinted(BufferedImage img, int[][] map, int numClasses) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int v = map[y][x], rgb = img.getRGB(x, y) & 0xFFFFFF;
                if (v != 0) {
                    int c = v < numClasses ? Palette.classRgb(v) : Palette.IGNORE_RGB;
                    rgb = ((((rgb >> 16) & 0xFF) + ((c >> 16) & 0xFF)) / 2 << 16)
                            | ((((rgb >> 8) & 0xFF) + ((c >> 8) & 0xFF)) / 2 << 8) | (((rgb & 0xFF) + (c & 0xFF)) / 2);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** Label map as an RGB image in the class palette; out-of-range labels white. */
    static BufferedImage labelImage(int[][] map, int numClasses) {
        int h = map.length, w = map[0].length;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = map[y][x];
                img.setRGB(x, y, v >= 0 && v < numClasses ? Palette.classRgb(v) : Palette.IGNORE_RGB);
            }
        }
        return img;
    }

    // =============================================================================================
    // ND4J conversions

    /**
     * Copies an NHWC array [N, H, W, C] (or [N, H, W], read as C = 1) of any floating or integer type into
     * {@code float[N][H][W][C]}.
     */
    public static float[][][][] toFloatImages(INDArray nhwc) {
        if (nhwc == null) {
            throw new IllegalArgumentException("images must not be null");
        }
        if (nhwc.rank() != 4 && nhwc.rank() != 3) {
            throw new IllegalArgumentException("images must be NHWC [N, H, W, C] or [N, H, W], got shape "
                    + java.util.Arrays.toString(nhwc.shape()));
        }
        int n = (int) nhwc.size(0), h = (int) nhwc.size(1), w = (int) nhwc.size(2);
        int c = nhwc.rank() == 4 ? (int) nhwc.size(3) : 1;
        float[] d = nhwc.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][][][] out = new float[n][h][w][c];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[i][y][x][ch] = d[k++];
                    }
                }
            }
        }
        return out;
    }

    /** NHWC (or NHW) floats in [0, 1] as images (C = 1: grey, C = 3: RGB; values clamped). */
    public static List<BufferedImage> toImages(INDArray nhwc) {
        return toImages(toFloatImages(nhwc));
    }

    /** Float images [n][H][W][C] in [0, 1] as images (C = 1: grey, C = 3: RGB; values clamped). */
    public static List<BufferedImage> toImages(float[][][][] images) {
        if (images == null || images.length == 0) {
            throw new IllegalArgumentException("images must not be empty (got " + (images == null ? "null" : "0 images") + ")");
        }
        List<BufferedImage> out = new ArrayList<>(images.length);
        for (int i = 0; i < images.length; i++) {
            out.add(toImage(images[i], "images[" + i + "]"));
        }
        return out;
    }

    /** One float image [H][W][C] in [0, 1] (C = 1 or 3; values clamped) as an RGB image. */
    private static BufferedImage toImage(float[][][] hwc, String what) {
        if (hwc == null || hwc.length == 0 || hwc[0] == null || hwc[0].length == 0) {
            throw new IllegalArgumentException(what + " must be a non-empty [H][W][C] array");
        }
        int h = hwc.length, w = hwc[0].length;
        int c = hwc[0][0] == null ? 0 : hwc[0][0].length;
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException(what + " has " + c + " channels, expected 3 (RGB) or 1 (grey)");
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            if (hwc[y] == null || hwc[y].length != w) {
                throw new IllegalArgumentException(what + " row " + y + " has " + (hwc[y] == null ? 0 : hwc[y].length)
                        + " pixels but row 0 has " + w);
            }
            for (int x = 0; x < w; x++) {
                float[] p = hwc[y][x];
                if (p == null || p.length != c) {
                    throw new IllegalArgumentException(what + " pixel (" + y + ", " + x + ") has "
                            + (p == null ? 0 : p.length) + " channels but pixel (0, 0) has " + c);
                }
                int r = byteOf(p[0]);
                int g = c == 3 ? byteOf(p[1]) : r;
                int b = c == 3 ? byteOf(p[2]) : r;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /**
     * Label maps [N][H][W] from class indices [N, H, W] (or [N, H, W, 1]), or by arg-max over the last
     * dimension of one-hot labels, probabilities or logits [N, H, W, K].
     */
    public static int[][][] toLabelMaps(INDArray labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        INDArray idx;
        if (labels.rank() == 4) {
            idx = labels.size(3) == 1 ? labels.reshape(labels.size(0), labels.size(1), labels.size(2))
                    : Nd4j.argMax(labels, 3);
        } else if (labels.rank() == 3) {
            idx = labels;
        } else {
            throw new IllegalArgumentException("labels must be [N, H, W] class indices or [N, H, W, K] scores, got shape "
                    + java.util.Arrays.toString(labels.shape()));
        }
        int n = (int) idx.size(0), h = (int) idx.size(1), w = (int) idx.size(2);
        double[] d = idx.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int[][][] out = new int[n][h][w];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[i][y][x] = (int) Math.round(d[k++]);
                }
            }
        }
        return out;
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

    private static int byteOf(float v) {
        if (Float.isNaN(v)) return 0;
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    /** Whole enlargement factor that brings {@code size} to at least {@code target} px, between 1 and 8. */
    static int scaleFor(int size, int target) {
        return Math.max(1, Math.min(8, (int) Math.ceil(target / (double) Math.max(1, size))));
    }

    private static String ellipsize(String s, FontMetrics m, int maxWidth) {
        if (m.stringWidth(s) <= maxWidth) return s;
        String e = "…";
        int end = s.length();
        while (end > 0 && m.stringWidth(s.substring(0, end) + e) > maxWidth) {
            end--;
        }
        return s.substring(0, end) + e;
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return g;
    }

    private static Graphics2D scratch() {
        return canvas(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    }
}
