package org.brainstate4j.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between ND4J arrays and pictures: NHWC float arrays to {@code float[N][H][W][C]} and to
 * {@link BufferedImage}s, class scores or indices to label maps, and label maps to palette images.
 * Every method validates its input and throws {@link IllegalArgumentException} naming the argument.
 */
public final class Images {
    private Images() {}

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
                    + Arrays.toString(nhwc.shape()));
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


    /** One float image [H][W][C] in [0, 1] (C = 1: grey, C = 3: RGB; values clamped) as an RGB image. */
    public static BufferedImage toImage(float[][][] hwc) {
        return toImage(hwc, "image");
    }

    static BufferedImage toImage(float[][][] hwc, String what) {
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
                    + Arrays.toString(labels.shape()));
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

    private static int byteOf(float v) {
        if (Float.isNaN(v)) return 0;
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
