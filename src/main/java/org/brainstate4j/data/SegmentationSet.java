package org.brainstate4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A semantic-segmentation data set composed from real Fashion-MNIST garments: each canvas
 * (default 64x64, square, any size that fits a garment) shows one to several (default 1..4)
 * garments on a textured, noisy background, with a per-pixel label map.
 *
 * <h2>Composition (all draws determined by the seed, the split and the canvas index)</h2>
 * <ul>
 *   <li><b>Background</b>: a grey level drawn per canvas in {@code [0.15, 0.55]} with a slight colour
 *       cast (up to +-0.06 per channel), plus a smooth random field (a grid of values in
 *       {@code +-0.12} every 16 pixels, bilinearly interpolated).</li>
 *   <li><b>Garments</b>: each is a Fashion-MNIST image (optionally scaled by a factor drawn from
 *       {@link Builder#scale}, bilinear), placed entirely inside the canvas at a uniform random
 *       position. Its <em>visible</em> pixels are those with intensity {@code > threshold}
 *       (default 0.1); only these are painted, with colour {@code tint * (0.3 + 0.7 * intensity)},
 *       where the tint is drawn per garment in HSV (any hue, saturation {@code [0.25, 1]}, value
 *       {@code [0.7, 1]}). Pixels at or below the threshold leave what is underneath untouched, so
 *       image and labels agree exactly.</li>
 *   <li><b>Overlap</b>: allowed, partial. Garments are painted in order and later ones occlude
 *       earlier ones, but a position is accepted only if every earlier garment keeps at least
 *       {@link Builder#minVisibleFraction} (default 0.5) of its visible pixels; after
 *       {@link Builder#maxTries} (default 50) rejected positions the garment is left out (its
 *       source image is still consumed), so a canvas may show fewer garments than drawn.</li>
 *   <li><b>Noise</b>: Gaussian, sigma 0.03, on every pixel and channel, then clamped to {@code [0, 1]}.
 *       Garment and background brightness ranges overlap, so no fixed threshold separates them.</li>
 *   <li><b>Labels</b>: 0 for background, {@link Taxonomy#labelOf} the garment's Fashion-MNIST class
 *       where a garment is visible on top.</li>
 * </ul>
 *
 * <h2>Splits</h2>
 * Training and validation canvases use images of the Fashion-MNIST training set, test canvases
 * images of its test set. The source images are drawn without replacement from a seeded permutation,
 * training and validation from disjoint parts of it, so no image appears in two splits. If a split
 * needs more garments than its part holds, it goes round its part again (reusing images within
 * that split only) and says so in the log.
 *
 * <p>Canvases are composed on demand (a fraction of a millisecond each at 64x64), nothing is
 * cached: canvas {@code i} of a split is the same every time it is asked for.
 */
public final class SegmentationSet {
    private static final Logger log = LoggerFactory.getLogger(SegmentationSet.class);

    static final int TRAIN = 0;
    static final int VALIDATION = 1;
    static final int TEST = 2;
    private static final String[] SPLIT_NAMES = {"train", "validation", "test"};

    private static final int BACKGROUND_CELL = 16;
    private static final double NOISE_SIGMA = 0.03;

    private final Builder cfg;
    private final LabelledImages trainSource;
    private final LabelledImages testSource;
    private final SegmentationSplit[] splits = new SegmentationSplit[3];

    /**
     * One garment on a canvas, as placed.
     *
     * @param sourceIndex index of the source image in its Fashion-MNIST file (the training file for
     *     train and validation canvases, the test file for test canvases)
     * @param fashionClass Fashion-MNIST class 0..9
     * @param label its label in the taxonomy
     * @param top row of the garment's top-left corner
     * @param left column of the garment's top-left corner
     * @param size side of the (square, possibly scaled) garment in pixels
     * @param maskPixels its pixels above the visibility threshold
     * @param visiblePixels of those, the ones not covered by later garments
     * @param tintRgb its tint, packed {@code 0xRRGGBB}
     */
    public record Garment(int sourceIndex, int fashionClass, int label, int top, int left, int size, int maskPixels,
            int visiblePixels, int tintRgb) {}

    /**
     * One composed canvas.
     *
     * @param image {@code height*width*3} floats in {@code [0, 1]}, row-major HWC (RGB interleaved)
     * @param labels {@code height*width} labels, row-major
     * @param instances {@code height*width}: 0 for background, {@code j+1} where garment {@code j} of {@code garments} is visible
     * @param garments the garments shown, in painting order
     */
    public record Canvas(int height, int width, float[] image, byte[] labels, byte[] instances, List<Garment> garments) {
        /** Label at {@code (row, col)}. */
        public int label(int row, int col) {
            return labels[row * width + col];
        }
    }

    private SegmentationSet(Builder cfg, LabelledImages trainSource, LabelledImages testSource) {
        this.cfg = cfg;
        this.trainSource = trainSource;
        this.testSource = testSource;
        plan();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SegmentationSplit train() {
        return splits[TRAIN];
    }

    public SegmentationSplit validation() {
        return splits[VALIDATION];
    }

    public SegmentationSplit test() {
        return splits[TEST];
    }

    public Taxonomy taxonomy() {
        return cfg.taxonomy;
    }

    public int numClasses() {
        return cfg.taxonomy.numClasses();
    }

    /** Canvas height = width. */
    public int canvasSize() {
        return cfg.canvasSize;
    }

    public long seed() {
        return cfg.seed;
    }

    // ---- planning: which source images each canvas uses --------------------------------------

    private void plan() {
        int[][] counts = new int[3][];
        long[] need = new long[3];
        int[] sizes = {cfg.trainSize, cfg.validationSize, cfg.testSize};
        for (int s = 0; s < 3; s++) {
            SplittableRandom rng = Rngs.of(cfg.seed, s, -1);
            counts[s] = new int[sizes[s]];
            for (int i = 0; i < sizes[s]; i++) {
                counts[s][i] = cfg.minObjects + rng.nextInt(cfg.maxObjects - cfg.minObjects + 1);
                need[s] += counts[s][i];
            }
        }
        int[] trainPerm = Rngs.permutation(trainSource.size(), Rngs.of(cfg.seed, 101));
        int[] testPerm = Rngs.permutation(testSource.size(), Rngs.of(cfg.seed, 102));
        // Disjoint parts of the training permutation for train and validation.
        int trainPart;
        if (need[TRAIN] + need[VALIDATION] <= trainPerm.length) {
            trainPart = (int) need[TRAIN];
        } else {
            trainPart = (int) Math.round((double) trainPerm.length * need[TRAIN] / (need[TRAIN] + need[VALIDATION]));
            if (need[VALIDATION] > 0) trainPart = Math.min(trainPart, trainPerm.length - 1);
            if (need[TRAIN] > 0) trainPart = Math.max(trainPart, 1);
        }
        int[][] parts = {
            Arrays.copyOfRange(trainPerm, 0, trainPart),
            Arrays.copyOfRange(trainPerm, trainPart, trainPerm.length),
            testPerm};
        for (int s = 0; s < 3; s++) {
            int[] part = parts[s];
            if (need[s] > 0 && part.length == 0) {
                throw new IllegalArgumentException("no source images left for the " + SPLIT_NAMES[s] + " split");
            }
            if (need[s] > part.length) {
                log.info("Segmentation {} split: {} garments from {} distinct source images (images reused within the split)",
                        SPLIT_NAMES[s], need[s], part.length);
            }
            int[] offsets = new int[sizes[s] + 1];
            for (int i = 0; i < sizes[s]; i++) offsets[i + 1] = offsets[i] + counts[s][i];
            int[] sources = new int[offsets[sizes[s]]];
            for (int j = 0; j < sources.length; j++) sources[j] = part[j % part.length];
            splits[s] = new SegmentationSplit(this, s, SPLIT_NAMES[s], sizes[s], offsets, sources);
        }
    }

    LabelledImages sourceOf(int split) {
        return split == TEST ? testSource : trainSource;
    }

    // ---- composition -------------------------------------------------------------------------

    /** Composes canvas {@code index} of {@code split}, whose garments are source positions {@code sources[from..to)}. */
    Canvas compose(int split, int index, int[] sources, int from, int to) {
        final int h = cfg.canvasSize;
        final int w = cfg.canvasSize;
        SplittableRandom rng = Rngs.of(cfg.seed, split, index);
        LabelledImages src = sourceOf(split);
        float[] image = background(rng, h, w);
        byte[] inst = new byte[h * w];
        List<int[]> accepted = new ArrayList<>(); // per garment: {pos, size, top, left, maskPixels, tint}
        List<int[]> visible = new ArrayList<>();  // per garment: {visiblePixels}

        for (int j = from; j < to; j++) {
            int pos = sources[j];
            double scale = cfg.minScale + (cfg.maxScale - cfg.minScale) * rng.nextDouble();
            int size = Math.max(1, (int) Math.round(FashionMnist.ROWS * scale));
            float[] intensity = garment(src, pos, size);
            boolean[] mask = new boolean[size * size];
            int maskPixels = 0;
            for (int p = 0; p < mask.length; p++) {
                if (intensity[p] > cfg.threshold) {
                    mask[p] = true;
                    maskPixels++;
                }
            }
            int tint = hsvToRgb(rng.nextDouble(), 0.25 + 0.75 * rng.nextDouble(), 0.7 + 0.3 * rng.nextDouble());
            if (maskPixels == 0) continue;
            int top = -1;
            int left = -1;
            int[] covered = new int[accepted.size() + 1];
            for (int t = 0; t < cfg.maxTries && top < 0; t++) {
                int y0 = rng.nextInt(h - size + 1);
                int x0 = rng.nextInt(w - size + 1);
                Arrays.fill(covered, 0);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        if (mask[y * size + x]) covered[inst[(y0 + y) * w + x0 + x] & 0xFF]++;
                    }
                }
                boolean ok = true;
                for (int g = 0; g < accepted.size() && ok; g++) {
                    ok = visible.get(g)[0] - covered[g + 1] >= cfg.minVisibleFraction * accepted.get(g)[4];
                }
                if (ok) {
                    top = y0;
                    left = x0;
                }
            }
            if (top < 0) continue;
            for (int g = 0; g < accepted.size(); g++) visible.get(g)[0] -= covered[g + 1];
            accepted.add(new int[] {pos, size, top, left, maskPixels, tint});
            visible.add(new int[] {maskPixels});
            byte id = (byte) accepted.size();
            float r = ((tint >> 16) & 0xFF) / 255f;
            float gr = ((tint >> 8) & 0xFF) / 255f;
            float b = (tint & 0xFF) / 255f;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int p = y * size + x;
                    if (!mask[p]) continue;
                    int q = (top + y) * w + left + x;
                    inst[q] = id;
                    float shade = 0.3f + 0.7f * intensity[p];
                    image[3 * q] = r * shade;
                    image[3 * q + 1] = gr * shade;
                    image[3 * q + 2] = b * shade;
                }
            }
        }
        for (int q = 0; q < image.length; q++) {
            float v = image[q] + (float) (NOISE_SIGMA * rng.nextGaussian());
            image[q] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
        int[] labelOfInstance = new int[accepted.size() + 1];
        List<Garment> garments = new ArrayList<>(accepted.size());
        for (int g = 0; g < accepted.size(); g++) {
            int[] a = accepted.get(g);
            int fashionClass = src.label(a[0]);
            labelOfInstance[g + 1] = cfg.taxonomy.labelOf(fashionClass);
            garments.add(new Garment(src.sourceIndex(a[0]), fashionClass, labelOfInstance[g + 1], a[2], a[3], a[1], a[4],
                    visible.get(g)[0], a[5]));
        }
        byte[] labels = new byte[h * w];
        for (int q = 0; q < labels.length; q++) labels[q] = (byte) labelOfInstance[inst[q] & 0xFF];
        return new Canvas(h, w, image, labels, inst, List.copyOf(garments));
    }

    private static float[] background(SplittableRandom rng, int h, int w) {
        float[] image = new float[h * w * 3];
        double grey = 0.15 + 0.4 * rng.nextDouble();
        double[] base = new double[3];
        for (int c = 0; c < 3; c++) base[c] = grey + 0.06 * (2 * rng.nextDouble() - 1);
        int gh = (h + BACKGROUND_CELL - 1) / BACKGROUND_CELL + 1;
        int gw = (w + BACKGROUND_CELL - 1) / BACKGROUND_CELL + 1;
        double[] grid = new double[gh * gw];
        for (int i = 0; i < grid.length; i++) grid[i] = 0.12 * (2 * rng.nextDouble() - 1);
        for (int y = 0; y < h; y++) {
            double fy = (double) y / BACKGROUND_CELL;
            int y0 = (int) fy;
            double ty = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = (double) x / BACKGROUND_CELL;
                int x0 = (int) fx;
                double tx = fx - x0;
                double field = (1 - ty) * ((1 - tx) * grid[y0 * gw + x0] + tx * grid[y0 * gw + x0 + 1])
                        + ty * ((1 - tx) * grid[(y0 + 1) * gw + x0] + tx * grid[(y0 + 1) * gw + x0 + 1]);
                int q = 3 * (y * w + x);
                for (int c = 0; c < 3; c++) image[q + c] = (float) (base[c] + field);
            }
        }
        return image;
    }

    /** The garment at source position {@code pos} as {@code size x size} intensities in [0, 1] (bilinear if scaled). */
    private static float[] garment(LabelledImages src, int pos, int size) {
        int n = FashionMnist.ROWS;
        float[] orig = src.image(pos);
        if (size == n) return orig;
        float[] out = new float[size * size];
        double f = (double) n / size;
        for (int y = 0; y < size; y++) {
            double sy = Math.min(Math.max((y + 0.5) * f - 0.5, 0), n - 1);
            int y0 = Math.min((int) sy, n - 2);
            double ty = sy - y0;
            for (int x = 0; x < size; x++) {
                double sx = Math.min(Math.max((x + 0.5) * f - 0.5, 0), n - 1);
                int x0 = Math.min((int) sx, n - 2);
                double tx = sx - x0;
                out[y * size + x] = (float) ((1 - ty) * ((1 - tx) * orig[y0 * n + x0] + tx * orig[y0 * n + x0 + 1])
                        + ty * ((1 - tx) * orig[(y0 + 1) * n + x0] + tx * orig[(y0 + 1) * n + x0 + 1]));
            }
        }
        return out;
    }

    private static int hsvToRgb(double hue, double sat, double val) {
        double h6 = (hue * 6) % 6;
        int sector = (int) h6;
        double f = h6 - sector;
        double p = val * (1 - sat);
        double q = val * (1 - sat * f);
        double t = val * (1 - sat * (1 - f));
        double r;
        double g;
        double b;
        switch (sector) {
            case 0: r = val; g = t; b = p; break;
            case 1: r = q; g = val; b = p; break;
            case 2: r = p; g = val; b = t; break;
            case 3: r = p; g = q; b = val; break;
            case 4: r = t; g = p; b = val; break;
            default: r = val; g = p; b = q; break;
        }
        return ((int) Math.round(r * 255) << 16) | ((int) Math.round(g * 255) << 8) | (int) Math.round(b * 255);
    }

    @Override
    public String toString() {
        return "SegmentationSet[" + cfg.canvasSize + "x" + cfg.canvasSize + ", " + cfg.minObjects + ".." + cfg.maxObjects
                + " garments, " + cfg.taxonomy.name() + " taxonomy (" + numClasses() + " classes), train/validation/test "
                + cfg.trainSize + "/" + cfg.validationSize + "/" + cfg.testSize + ", seed " + cfg.seed + "]";
    }

    // ---- configuration -----------------------------------------------------------------------

    /** Settings; every setter checks its argument. Defaults in brackets. */
    public static final class Builder {
        private int canvasSize = 64;
        private int minObjects = 1;
        private int maxObjects = 4;
        private Taxonomy taxonomy = Taxonomy.FINE;
        private int trainSize = 8_000;
        private int validationSize = 1_000;
        private int testSize = 1_000;
        private long seed = 0;
        private double threshold = 0.1;
        private double minScale = 1.0;
        private double maxScale = 1.0;
        private double minVisibleFraction = 0.5;
        private int maxTries = 50;

        private Builder() {}

        /** Canvas side in pixels [64]; must hold the largest (scaled) garment. */
        public Builder canvasSize(int size) {
            if (size < FashionMnist.ROWS) throw new IllegalArgumentException("canvasSize must be at least 28, got " + size);
            this.canvasSize = size;
            return this;
        }

        /** Garments drawn per canvas, uniform in {@code min..max} [1..4]. */
        public Builder objectsPerCanvas(int min, int max) {
            if (min < 1 || max < min || max > 255) {
                throw new IllegalArgumentException("objectsPerCanvas needs 1 <= min <= max <= 255, got " + min + ".." + max);
            }
            this.minObjects = min;
            this.maxObjects = max;
            return this;
        }

        /** Label set [{@link Taxonomy#FINE}]. */
        public Builder taxonomy(Taxonomy taxonomy) {
            if (taxonomy == null) throw new IllegalArgumentException("taxonomy must not be null");
            this.taxonomy = taxonomy;
            return this;
        }

        /** Number of canvases per split [8000, 1000, 1000]. */
        public Builder sizes(int train, int validation, int test) {
            if (train < 0 || validation < 0 || test < 0) {
                throw new IllegalArgumentException("split sizes must be >= 0, got " + train + "/" + validation + "/" + test);
            }
            this.trainSize = train;
            this.validationSize = validation;
            this.testSize = test;
            return this;
        }

        /** Seed of every random choice [0]. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A garment pixel is visible (painted and labelled) where its intensity exceeds this [0.1]. */
        public Builder threshold(double threshold) {
            if (!(threshold >= 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
            this.threshold = threshold;
            return this;
        }

        /** Garment scale factor, uniform in {@code [min, max]} [1, 1]: e.g. 1..2 on 128x128 canvases. */
        public Builder scale(double min, double max) {
            if (!(min > 0 && max >= min)) throw new IllegalArgumentException("scale needs 0 < min <= max, got " + min + ".." + max);
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        /** Each earlier garment must keep at least this fraction of its visible pixels [0.5]; 0 allows full occlusion. */
        public Builder minVisibleFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("minVisibleFraction must be in [0, 1], got " + fraction);
            }
            this.minVisibleFraction = fraction;
            return this;
        }

        /** Positions tried per garment before it is left out [50]. */
        public Builder maxTries(int tries) {
            if (tries < 1) throw new IllegalArgumentException("maxTries must be at least 1, got " + tries);
            this.maxTries = tries;
            return this;
        }

        /** Composes from Fashion-MNIST in the default directory (see {@link FashionMnist#defaultDirectory()}). */
        public SegmentationSet build() throws IOException {
            return build(FashionMnist.defaultDirectory());
        }

        /** Composes from Fashion-MNIST in {@code dir}. */
        public SegmentationSet build(Path dir) throws IOException {
            return build(FashionMnist.train(dir), FashionMnist.test(dir));
        }

        /**
         * Composes train and validation canvases from {@code trainSource} and test canvases from
         * {@code testSource} (e.g. subsets of {@link FashionMnist#train()} and {@link FashionMnist#test()};
         * the two must not share images).
         */
        public SegmentationSet build(LabelledImages trainSource, LabelledImages testSource) {
            if (trainSource.rows() != FashionMnist.ROWS || trainSource.cols() != FashionMnist.COLS
                    || testSource.rows() != FashionMnist.ROWS || testSource.cols() != FashionMnist.COLS
                    || trainSource.numClasses() != FashionMnist.NUM_CLASSES || testSource.numClasses() != FashionMnist.NUM_CLASSES) {
                throw new IllegalArgumentException("sources must be Fashion-MNIST images (28x28, 10 classes), got "
                        + trainSource + " and " + testSource);
            }
            int largest = (int) Math.round(FashionMnist.ROWS * maxScale);
            if (largest > canvasSize) {
                throw new IllegalArgumentException("a garment scaled by " + maxScale + " is " + largest
                        + " pixels, larger than the canvas (" + canvasSize + ")");
            }
            if (trainSize + validationSize > 0 && trainSource.size() < (validationSize > 0 && trainSize > 0 ? 2 : 1)) {
                throw new IllegalArgumentException("the training source " + trainSource + " is too small for train and validation splits");
            }
            if (testSize > 0 && testSource.size() == 0) {
                throw new IllegalArgumentException("the test source is empty");
            }
            Builder copy = new Builder();
            copy.canvasSize = canvasSize;
            copy.minObjects = minObjects;
            copy.maxObjects = maxObjects;
            copy.taxonomy = taxonomy;
            copy.trainSize = trainSize;
            copy.validationSize = validationSize;
            copy.testSize = testSize;
            copy.seed = seed;
            copy.threshold = threshold;
            copy.minScale = minScale;
            copy.maxScale = maxScale;
            copy.minVisibleFraction = minVisibleFraction;
            copy.maxTries = maxTries;
            return new SegmentationSet(copy, trainSource, testSource);
        }
    }
}
