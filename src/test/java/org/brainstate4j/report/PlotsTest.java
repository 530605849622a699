package org.brainstate4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Renders every plot from realistic synthetic data, checks the PNGs read back (size, not blank, the
 * confusion matrix's diagonal darker than the rest, palette colours present), checks atomic writing and
 * argument validation. The renders are also kept in target/plots-preview/ for a human to look at.
 */
class PlotsTest {

    static final Path PREVIEW = Paths.get("target", "plots-preview");
    static final List<String> CIFAR = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    static final List<String> SEG_CLASSES = List.of("background", "disc", "square", "bar");

    @TempDir
    Path tmp;

    @BeforeAll
    static void previewDir() throws IOException {
        Files.createDirectories(PREVIEW);
    }

    // ---------------------------------------------------------------------------------------------
    // synthetic data

    /** 5 epochs × 120 iterations of a noisy, decaying loss; validation loss/accuracy per epoch. */
    static double[][] curves() {
        Random r = new Random(1);
        int epochs = 5, ipe = 120;
        double[] train = new double[epochs * ipe];
        double[] smooth = new double[train.length];
        double ema = 0;
        for (int i = 0; i < train.length; i++) {
            train[i] = 0.25 + 2.0 * Math.exp(-i / 110.0) + 0.15 * r.nextGaussian() * Math.exp(-i / 400.0);
            ema = 0.9 * ema + 0.1 * train[i];
            smooth[i] = ema / (1 - Math.pow(0.9, i + 1));
        }
        double[] val = {1.10, 0.62, 0.45, 0.41, 0.40};
        double[] acc = {0.61, 0.78, 0.85, 0.87, 0.88};
        return new double[][] {train, smooth, val, acc};
    }

    /** Diagonal-heavy 10-class counts with a few typical confusions (cat/dog, automobile/truck). */
    static long[][] confusion() {
        Random r = new Random(2);
        long[][] c = new long[10][10];
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                c[t][p] = t == p ? 700 + r.nextInt(250) : r.nextInt(25);
            }
        }
        c[3][5] = 180;
        c[5][3] = 140;
        c[1][9] = 90;
        c[9][1] = 75;
        return c;
    }

    /** n grey 28×28 "digits" (a ring with a bar) and blurred, noisy reconstructions. */
    static INDArray[] reconstructions(int n) {
        Random r = new Random(3);
        float[] orig = new float[n * 28 * 28];
        float[] rec = new float[orig.length];
        for (int i = 0; i < n; i++) {
            double cx = 10 + r.nextInt(8), cy = 10 + r.nextInt(8), rad = 5 + r.nextInt(4);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double d = Math.hypot(x - cx, y - cy);
                    float v = (float) Math.max(0, 1 - Math.abs(d - rad) / 1.5);
                    if (i % 2 == 1 && Math.abs(x - cx) < 1.5 && y > cy - rad && y < cy + rad) v = 1;
                    int k = (i * 28 + y) * 28 + x;
                    orig[k] = v;
                    rec[k] = (float) Math.max(0, Math.min(1, 0.8 * v + 0.08 + 0.08 * r.nextGaussian()));
                }
            }
        }
        return new INDArray[] {Nd4j.create(orig, new long[] {n, 28, 28, 1}), Nd4j.create(rec, new long[] {n, 28, 28, 1})};
    }

    /** n RGB 48×48 scenes with a disc (1), a square (2) and a bar (3) on a gradient; labels and a noisy prediction. */
    static Object[] segmentation(int n) {
        Random r = new Random(4);
        int h = 48, w = 48;
        float[][][][] img = new float[n][h][w][3];
        int[][][] truth = new int[n][h][w];
        int[][][] pred = new int[n][h][w];
        for (int i = 0; i < n; i++) {
            int dx = 8 + r.nextInt(16), dy = 8 + r.nextInt(16), sx = 20 + r.nextInt(20), sy = 20 + r.nextInt(20);
            int by = 4 + r.nextInt(36);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int c = 0;
                    if (Math.abs(y - by) <= 2) c = 3;
                    if (Math.abs(x - sx) <= 6 && Math.abs(y - sy) <= 6) c = 2;
                    if (Math.hypot(x - dx, y - dy) <= 7) c = 1;
                    truth[i][y][x] = c;
                    float[] base = {0.35f + 0.3f * x / w, 0.45f, 0.55f - 0.3f * y / h};
                    float[][] col = {base, {0.95f, 0.85f, 0.2f}, {0.2f, 0.6f, 0.95f}, {0.85f, 0.25f, 0.3f}};
                    for (int ch = 0; ch < 3; ch++) {
                        img[i][y][x][ch] = Math.max(0, Math.min(1, col[c][ch] + 0.04f * (float) r.nextGaussian()));
                    }
                    // prediction: right except near boundaries (shifted by one pixel) and a few random blobs
                    int sh = truth[i][y][Math.max(0, x - 1)];
                    pred[i][y][x] = r.nextDouble() < 0.5 ? sh : c;
                }
            }
            for (int y = 30; y < 36; y++) {
                for (int x = 2 + 10 * (i % 4); x < 8 + 10 * (i % 4); x++) {
                    pred[i][y][x] = 2;
                }
            }
        }
        return new Object[] {img, truth, pred};
    }

    // ---------------------------------------------------------------------------------------------
    // image checks

    static BufferedImage readBack(Path png) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " exists");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " is a PNG ImageIO can read");
        return img;
    }

    static void assertNotBlank(BufferedImage img, int minColours) {
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) nonWhite++;
            }
        }
        assertTrue(colours.size() >= minColours, "only " + colours.size() + " distinct colours");
        assertTrue(nonWhite > img.getWidth() * img.getHeight() / 50, "almost all white: " + nonWhite + " pixels drawn");
    }

    static boolean containsRgb(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) return true;
            }
        }
        return false;
    }

    static double luminance(int rgb) {
        return 0.2126 * ((rgb >> 16) & 255) + 0.7152 * ((rgb >> 8) & 255) + 0.0722 * (rgb & 255);
    }

    static List<Path> listDir(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }

    static void assertOnlyFile(Path dir, Path png) throws IOException {
        assertEquals(List.of(png.getFileName().toString()),
                listDir(dir).stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                "no temporary files left next to the PNG");
    }

    // ---------------------------------------------------------------------------------------------
    // training curves

    @Test
    void trainingCurvesWithSeriesOfDifferentLengthsAndASecondPanel() throws IOException {
        double[][] c = curves();
        List<Series> series = List.of(
                Series.perIteration("train loss (per iteration)", c[0], 120),
                Series.perIteration("train loss (smoothed)", c[1], 120),
                Series.perEpoch("validation loss", c[2]),
                Series.perEpoch("validation accuracy", c[3]).onRightAxis());
        Path png = tmp.resolve("curves.png");
        Plots.trainingCurves(png, "Training curves", series, "epoch", YAxis.of("loss (cross-entropy)"),
                YAxis.fraction("accuracy"));
        BufferedImage img = readBack(png);
        assertEquals(CurvesRenderer.TWO_PANEL_WIDTH, img.getWidth(), "two panels: loss, then accuracy");
        assertEquals(CurvesRenderer.CURVES_HEIGHT, img.getHeight());
        assertNotBlank(img, 30);
        assertOnlyFile(tmp, png);
        Files.copy(png, PREVIEW.resolve("training-curves.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void trainingCurvesFromAMapShareTheShortestSeriesAxis() throws IOException {
        double[][] c = curves();
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("train loss (smoothed)", c[1]);
        m.put("validation loss", c[2]);
        Path png = PREVIEW.resolve("training-curves-map.png");
        Plots.trainingCurves(png, "Loss (map input)", m, "epoch", "loss");
        BufferedImage img = readBack(png);
        assertEquals(CurvesRenderer.CURVES_WIDTH, img.getWidth());
        assertNotBlank(img, 20);
        // a diverged run still plots: non-finite points are skipped
        double[] diverged = c[2].clone();
        diverged[4] = Double.NaN;
        Plots.trainingCurves(tmp.resolve("nan.png"), "diverged", Map.of("val", diverged), "epoch", "loss");
        readBack(tmp.resolve("nan.png"));
    }

    @Test
    void trainingCurvesRejectBadInput() {
        Path png = tmp.resolve("bad.png");
        assertMessage(() -> Plots.trainingCurves(png, "t", Map.of(), "x", "y"), "series must not be empty");
        assertMessage(() -> Plots.trainingCurves(png, "t", Map.of("val", new double[0]), "x", "y"),
                "series 'val' is empty (0 values)");
        assertMessage(() -> Plots.trainingCurves(png, "t", List.of(), "x", "y", null), "series must not be empty");
        assertMessage(() -> Series.of("val", new double[] {1, 2, 3}, new double[] {1, 2}),
                "series 'val': x has 3 values but y has 2");
        assertMessage(() -> Plots.trainingCurves(png, "t",
                List.of(Series.of("a", new double[] {1}), Series.of("a", new double[] {2})), "x", "y", null),
                "'a' appears twice");
        assertMessage(() -> Plots.trainingCurves(png, "t", Map.of("v", new double[] {Double.NaN}), "x", "y"),
                "series 'v' has no finite points");
        assertMessage(() -> Series.perIteration("train", new double[] {1}, 0), "iterationsPerEpoch must be >= 1, got 0");
        // every axis in use has a title
        assertMessage(() -> Plots.trainingCurves(png, "t", Map.of("v", new double[] {1}), " ", "y"), "xLabel must not be blank");
        assertMessage(() -> Plots.trainingCurves(png, "t", Map.of("v", new double[] {1}), "x", null), "yLabel must not be blank");
        assertMessage(() -> Plots.trainingCurves(png, "t", List.of(Series.of("acc", new double[] {1}).onRightAxis()), "x",
                "y", null), "series 'acc' is on the right axis but the right axis is null");
        assertMessage(() -> Plots.trainingCurves(png, "t", List.of(Series.of("acc", new double[] {1}).onRightAxis()), "x",
                "y", ""), "rightYLabel must not be blank");
        assertFalse(Files.exists(png), "nothing written for bad input");
    }

    // ---------------------------------------------------------------------------------------------
    // confusion matrix

    @Test
    void confusionMatrixDiagonalIsDarkerThanTheRestOfItsRow() throws IOException {
        long[][] counts = confusion();
        Path png = tmp.resolve("cm.png");
        Plots.confusionMatrix(png, counts, CIFAR);
        BufferedImage img = readBack(png);
        ConfusionMatrixRenderer layout = Plots.renderConfusion(counts, CIFAR, "Confusion matrix");
        assertEquals(layout.width, img.getWidth());
        assertEquals(layout.height, img.getHeight());
        assertTrue(layout.cell >= 56, "cells readable with 10 classes: " + layout.cell + " px");
        assertNotBlank(img, 40);
        for (int r = 0; r < 10; r++) {
            // sample each cell's fill near its top-left corner, away from the text
            double diag = luminance(img.getRGB(layout.gridX + r * layout.cell + 4, layout.gridY + r * layout.cell + 4));
            for (int c = 0; c < 10; c++) {
                if (c == r) continue;
                double off = luminance(img.getRGB(layout.gridX + c * layout.cell + 4, layout.gridY + r * layout.cell + 4));
                assertTrue(diag < off, "row " + r + ": diagonal " + diag + " vs column " + c + " " + off);
            }
        }
        assertOnlyFile(tmp, png);
        Files.copy(png, PREVIEW.resolve("confusion-matrix.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // short names are not rotated; an empty row is drawn grey, not as NaN
        long[][] small = {{5, 1, 0}, {0, 0, 0}, {2, 0, 9}};
        Path png3 = PREVIEW.resolve("confusion-matrix-3.png");
        Plots.confusionMatrix(png3, small, List.of("a", "b", "c"), "3 classes, one without samples");
        assertNotBlank(readBack(png3), 10);
    }

    @Test
    void confusionMatrixRejectsBadInput() {
        Path png = tmp.resolve("bad.png");
        long[][] counts = confusion();
        assertMessage(() -> Plots.confusionMatrix(png, counts, CIFAR.subList(0, 9)),
                "classNames has 9 names but counts is 10 x 10");
        long[][] ragged = confusion();
        ragged[3] = new long[9];
        assertMessage(() -> Plots.confusionMatrix(png, ragged, CIFAR),
                "counts must be square: row 3 has 9 columns but counts has 10 rows");
        assertMessage(() -> Plots.confusionMatrix(png, new long[0][], List.of()), "counts must not be empty");
        long[][] negative = {{1, -1}, {0, 1}};
        assertMessage(() -> Plots.confusionMatrix(png, negative, List.of("a", "b")), "counts[0][1] = -1");
        assertFalse(Files.exists(png));
    }

    // ---------------------------------------------------------------------------------------------
    // image grids

    @Test
    void reconstructionGridFromNhwcArrays() throws IOException {
        INDArray[] data = reconstructions(8);
        Path png = tmp.resolve("recon.png");
        Plots.reconstructionGrid(png, data[0], data[1], 6);
        BufferedImage img = readBack(png);
        int s = Drawing.scaleFor(28, 96); // 4
        assertEquals(4, s);
        // 6 columns of 112 px with 10 px padding, plus the row-label column
        assertTrue(img.getWidth() > 10 + 6 * (112 + 10), "width " + img.getWidth());
        assertEquals(10 + 2 * (112 + 10), img.getHeight());
        assertNotBlank(img, 50);
        assertOnlyFile(tmp, png);
        Files.copy(png, PREVIEW.resolve("reconstruction-grid.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void imageGridWithCaptionsFromFloatArrays() throws IOException {
        Object[] seg = segmentation(6);
        float[][][][] images = (float[][][][]) seg[0];
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            captions.add("sample " + i + (i == 5 ? " with a caption far too long to fit" : ""));
        }
        Path png = PREVIEW.resolve("image-grid.png");
        Plots.imageGrid(png, images, 2, 4, captions); // 6 images in 8 cells
        BufferedImage img = readBack(png);
        int cell = 48 * Drawing.scaleFor(48, 96);
        assertEquals(10 + 4 * (cell + 10), img.getWidth());
        assertNotBlank(img, 50);
    }

    @Test
    void longCaptionsWrapInsteadOfLosingTheirEnd() throws IOException {
        java.awt.FontMetrics m = Drawing.scratch().getFontMetrics(Drawing.LABEL_FONT);
        int cellWidth = 3 * 32 - 4; // a 32 px image enlarged 3 times, as notebook 04's padding pictures
        List<String> lines = Drawing.wrap("(2, 2), (2, 2): 36x36", m, cellWidth, 3);
        assertEquals("(2, 2), (2, 2): 36x36", String.join(" ", lines), "nothing lost: " + lines);
        assertTrue(lines.size() >= 2, "two lines: " + lines);
        for (String l : lines) {
            assertTrue(m.stringWidth(l) <= cellWidth, "'" + l + "' fits");
        }
        List<String> cut = Drawing.wrap("a caption far too long to fit into three lines of a narrow cell, whatever its font", m, 60, 3);
        assertEquals(3, cut.size());
        assertTrue(cut.get(2).endsWith("…"), cut.toString());
        assertEquals(List.of("short"), Drawing.wrap("short", m, 60, 3));

        List<BufferedImage> six = Images.toImages(reconstructions(6)[0]);
        Path png = PREVIEW.resolve("image-grid-wrapped-captions.png");
        Plots.imageGrid(png, six, 1, 6, List.of("input 32x32", "SAME: 32x32", "VALID: 28x28", "(2, 2), (2, 2): 36x36",
                "(0, 4), (0, 4): 36x36", "(-2, -2), (-2, -2): 24x24"));
        int cell = 28 * Drawing.scaleFor(28, 96), lineHeight = m.getHeight();
        assertEquals(10 + cell + 2 * lineHeight + 4 + 10, readBack(png).getHeight(), "room for two caption lines");
    }

    @Test
    void imageGridRejectsBadInput() {
        Path png = tmp.resolve("bad.png");
        List<BufferedImage> three = Images.toImages(reconstructions(3)[0]);
        assertMessage(() -> Plots.imageGrid(png, List.of(), 1, 1, null), "images must not be empty");
        assertMessage(() -> Plots.imageGrid(png, three, 1, 2, null), "images has 3 images but the grid is 1 x 2 = 2 cells");
        assertMessage(() -> Plots.imageGrid(png, three, 2, 2, List.of("a", "b")), "captions has 2 entries but images has 3");
        assertMessage(() -> Plots.imageGrid(png, three, 0, 2, null), "rows and cols must be >= 1, got rows = 0");
        assertMessage(() -> Plots.imageGrid(png, new float[][][][] {new float[4][4][2]}, 1, 1, null),
                "images[0] has 2 channels, expected 3 (RGB) or 1 (grey)");
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 8, 8, 1), b = Nd4j.zeros(DataType.FLOAT, 2, 8, 9, 1);
        assertMessage(() -> Plots.reconstructionGrid(png, a, b, 2),
                "originals has shape [2, 8, 8, 1] but reconstructions has shape [2, 8, 9, 1]");
        assertFalse(Files.exists(png));
    }

    // ---------------------------------------------------------------------------------------------
    // segmentation

    @Test
    void segmentationOverlaysShowImageTruthPredictionAndLegend() throws IOException {
        Object[] seg = segmentation(3);
        float[][][][] images = (float[][][][]) seg[0];
        int[][][] truth = (int[][][]) seg[1];
        int[][][] pred = (int[][][]) seg[2];
        pred[2][0][0] = 255; // an "ignore" label: white, with its own legend entry
        Path png = tmp.resolve("seg.png");
        Plots.segmentationOverlays(png, images, truth, pred, SEG_CLASSES);
        BufferedImage img = readBack(png);
        int tile = 48 * Drawing.scaleFor(48, 128); // 144
        assertTrue(img.getWidth() >= 3 * tile, "width " + img.getWidth());
        assertTrue(img.getHeight() >= 3 * tile, "height " + img.getHeight());
        assertNotBlank(img, 50);
        for (int c = 0; c < SEG_CLASSES.size(); c++) {
            assertTrue(containsRgb(img, Palette.classRgb(c)), "class " + c + " colour drawn");
        }
        assertOnlyFile(tmp, png);
        Files.copy(png, PREVIEW.resolve("segmentation-overlays.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void segmentationOverlaysFromNd4jArrays() throws IOException {
        Object[] seg = segmentation(2);
        float[][][][] images = (float[][][][]) seg[0];
        int[][][] truth = (int[][][]) seg[1];
        float[] flat = new float[2 * 48 * 48 * 3];
        float[] oneHot = new float[2 * 48 * 48 * 4];
        float[] idx = new float[2 * 48 * 48];
        int k = 0, p = 0;
        for (int i = 0; i < 2; i++) {
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    for (int ch = 0; ch < 3; ch++) flat[k++] = images[i][y][x][ch];
                    oneHot[p * 4 + truth[i][y][x]] = 1;
                    idx[p++] = truth[i][y][x];
                }
            }
        }
        INDArray nhwc = Nd4j.create(flat, new long[] {2, 48, 48, 3});
        float[][][][] back = Images.toFloatImages(nhwc);
        assertEquals(images[1][17][23][2], back[1][17][23][2]);
        int[][][] fromOneHot = Images.toLabelMaps(Nd4j.create(oneHot, new long[] {2, 48, 48, 4}));
        int[][][] fromIdx = Images.toLabelMaps(Nd4j.create(idx, new long[] {2, 48, 48}));
        for (int i = 0; i < 2; i++) {
            for (int y = 0; y < 48; y++) {
                assertArrayEquals(truth[i][y], fromOneHot[i][y]);
                assertArrayEquals(truth[i][y], fromIdx[i][y]);
            }
        }
        Path png = tmp.resolve("seg-nd4j.png");
        Plots.segmentationOverlays(png, nhwc, Nd4j.create(oneHot, new long[] {2, 48, 48, 4}),
                Nd4j.create(idx, new long[] {2, 48, 48}), SEG_CLASSES);
        assertNotBlank(readBack(png), 20);
    }

    @Test
    void segmentationOverlaysRejectBadInput() {
        Object[] seg = segmentation(2);
        float[][][][] images = (float[][][][]) seg[0];
        int[][][] truth = (int[][][]) seg[1];
        int[][][] pred = (int[][][]) seg[2];
        Path png = tmp.resolve("bad.png");
        assertMessage(() -> Plots.segmentationOverlays(png, images, new int[][][] {truth[0]}, pred, SEG_CLASSES),
                "trueLabels has 1 samples but images has 2");
        assertMessage(() -> Plots.segmentationOverlays(png, images, truth, new int[][][] {pred[0], new int[40][48]},
                SEG_CLASSES), "predicted[1] is 40 x 48 but images[1] is 48 x 48");
        assertMessage(() -> Plots.segmentationOverlays(png, images, truth, pred, List.of()), "classNames must not be empty");
        assertMessage(() -> Plots.segmentationOverlays(png, new float[0][][][], new int[0][][], new int[0][][], SEG_CLASSES),
                "images must not be empty");
        assertFalse(Files.exists(png));
    }

    // ---------------------------------------------------------------------------------------------
    // atomic writing

    @Test
    void writesAreAtomicAndReplaceExistingFiles() throws IOException {
        Path dir = tmp.resolve("new/sub/dir"); // created on demand
        Path png = dir.resolve("cm.png");
        Plots.confusionMatrix(png, new long[][] {{3, 1}, {0, 4}}, List.of("no", "yes"));
        long first = Files.size(png);
        Plots.confusionMatrix(png, confusion(), CIFAR); // overwrite with a bigger image
        assertTrue(Files.size(png) > first);
        assertEquals(ImageIO.read(png.toFile()).getWidth(), Plots.renderConfusion(confusion(), CIFAR, "x").width);
        assertOnlyFile(dir, png);

        // if the target cannot be replaced (it is a directory), nothing is left behind either
        Path blocked = tmp.resolve("blocked.png");
        Files.createDirectories(blocked);
        Files.writeString(blocked.resolve("keep"), "x");
        assertThrows(UncheckedIOException.class,
                () -> Plots.confusionMatrix(blocked, new long[][] {{1}}, List.of("only")));
        List<String> left = listDir(tmp).stream().map(p -> p.getFileName().toString())
                .filter(n -> n.contains(".tmp")).collect(Collectors.toList());
        assertEquals(List.of(), left);
    }

    @Test
    void headlessByDefault() {
        assertNotNull(Plots.class); // class initialised
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    static void assertMessage(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void aPredictionAloneIsDrawnWithAnOverlayColumn(@TempDir Path dir) throws IOException {
        float[][][] image = new float[8][8][3];
        int[][] predicted = new int[8][8];
        for (int y = 0; y < 8; y++) for (int x = 4; x < 8; x++) predicted[y][x] = 1;
        Path png = dir.resolve("overlay.png");
        Plots.segmentationOverlay(png, image, predicted, List.of("background", "thing"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 3 * 8 * 8 && img.getHeight() > 8 * 8, img.getWidth() + "x" + img.getHeight());
    }
}
