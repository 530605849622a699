package org.brainstate4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Picture files as network input, converted the way the training data is: pixel values {@code v / 255}
 * in {@code [0, 1]}, NHWC, one channel (grey) for the Fashion-MNIST classifiers and three (RGB) for
 * the canvas models.
 *
 * <ul>
 *   <li><b>Channels</b>: an 8-bit grey image gives its stored values (a Fashion-MNIST image written as a
 *       grey PNG comes back bit for bit); a colour image gives grey as {@code 0.299 R + 0.587 G + 0.114 B}
 *       (ITU-R BT.601 luma); a grey image read as RGB repeats its value. Transparent pixels are
 *       composed over black, the background of both data sets.</li>
 *   <li><b>Size</b>: an image of another size is scaled to fit (aspect ratio kept) by area averaging,
 *       each output pixel the overlap-weighted mean of the input pixels it covers, and centred on black.
 *       An image of the right size is used as it is.</li>
 * </ul>
 * The classifiers learned light garments on a black background (Fashion-MNIST); a photo of a garment
 * on a white table is a different picture to them.
 */
public final class ImageInput {
    private ImageInput() {}

    /**
     * Reads a PNG or JPEG (or another format Java's ImageIO reads: BMP, GIF).
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IllegalArgumentException          if the file is not a picture Java can decode, naming the file
     */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (!Files.exists(file)) throw new java.nio.file.NoSuchFileException(file.toString());
            throw new IllegalArgumentException("image " + file + " is not a regular file");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) { // a corrupt PNG or JPEG, or a colour model ImageIO lacks
            throw new IllegalArgumentException("image " + file + " cannot be decoded as PNG or JPEG: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (image == null) {
            throw new IllegalArgumentException("image " + file + " is not a PNG or JPEG (no image reader recognises it)");
        }
        return image;
    }

    /**
     * {@code image} as one network input {@code [1, height, width, channels]} float32 in [0, 1]; see the
     * class documentation for the conversion. {@code channels} is 1 (grey) or 3 (RGB).
     */
    public static INDArray toInput(BufferedImage image, int height, int width, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels (=" + channels + ") must be 1 (grey) or 3 (RGB)");
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width (=" + height + ", " + width + ") must be positive");
        }
        float[][] planes = planes(image, channels);
        float[] out = new float[height * width * channels];
        for (int c = 0; c < channels; c++) {
            float[] plane = fit(planes[c], image.getWidth(), image.getHeight(), width, height);
            for (int p = 0; p < height * width; p++) out[p * channels + c] = plane[p];
        }
        return Nd4j.create(out, new long[] {1, height, width, channels}, DataType.FLOAT);
    }

    /** The picture's channels in [0, 1], each row-major at the picture's size. */
    private static float[][] planes(BufferedImage image, int channels) {
        int w = image.getWidth(), h = image.getHeight();
        float[][] planes = new float[channels][w * h];
        Raster raster = image.getRaster();
        boolean storedGrey = raster.getNumBands() == 1 && raster.getSampleModel().getSampleSize(0) == 8
                && !image.getColorModel().hasAlpha() && image.getType() != BufferedImage.TYPE_BYTE_INDEXED
                && image.getType() != BufferedImage.TYPE_BYTE_BINARY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (storedGrey) { // the stored value: getRGB would pass it through a colour conversion
                    float v = raster.getSample(x, y, 0) / 255f;
                    for (int c = 0; c < channels; c++) planes[c][p] = v;
                    continue;
                }
                int argb = image.getRGB(x, y);
                float alpha = ((argb >>> 24) & 0xFF) / 255f;
                float r = ((argb >> 16) & 0xFF) * alpha, g = ((argb >> 8) & 0xFF) * alpha, b = (argb & 0xFF) * alpha;
                if (channels == 1) {
                    planes[0][p] = Math.round(0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                } else {
                    planes[0][p] = Math.round(r) / 255f;
                    planes[1][p] = Math.round(g) / 255f;
                    planes[2][p] = Math.round(b) / 255f;
                }
            }
        }
        return planes;
    }

    /** Scales {@code plane} ({@code w x h}) to fit {@code outW x outH} by area averaging, centred on 0. */
    static float[] fit(float[] plane, int w, int h, int outW, int outH) {
        if (w == outW && h == outH) return plane;
        double scale = Math.min(outW / (double) w, outH / (double) h);
        double left = (outW - w * scale) / 2, top = (outH - h * scale) / 2;
        float[] out = new float[outW * outH];
        for (int oy = 0; oy < outH; oy++) {
            // the output pixel's extent in input coordinates
            double y0 = (oy - top) / scale, y1 = (oy + 1 - top) / scale;
            for (int ox = 0; ox < outW; ox++) {
                double x0 = (ox - left) / scale, x1 = (ox + 1 - left) / scale;
                double sum = 0;
                for (int iy = (int) Math.max(0, Math.floor(y0)); iy < Math.min(h, Math.ceil(y1)); iy++) {
                    double wy = Math.min(y1, iy + 1) - Math.max(y0, iy);
                    for (int ix = (int) Math.max(0, Math.floor(x0)); ix < Math.min(w, Math.ceil(x1)); ix++) {
                        double wx = Math.min(x1, ix + 1) - Math.max(x0, ix);
                        sum += wx * wy * plane[iy * w + ix];
                    }
                }
                out[oy * outW + ox] = (float) (sum / ((x1 - x0) * (y1 - y0)));
            }
        }
        return out;
    }
}
