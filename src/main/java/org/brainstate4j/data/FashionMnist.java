package org.brainstate4j.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; MIT licence, Zalando SE): 60,000 training and
 * 10,000 test greyscale images of 28x28 pixels in 10 clothing classes, read from the four original
 * IDX files (gzipped or not) in a directory.
 *
 * <p>The repository ships the files under {@code data/fashion-mnist/}, the default directory
 * (relative to the working directory, which is the repository root for {@code mvn test} and
 * {@code mvn exec:java}); the system property {@code brainstate4j.fashionMnist.dir} overrides the
 * default, and every loader also takes an explicit directory, e.g.
 * {@code /usr/share/datasets/fashion-mnist} from Debian's {@code dataset-fashion-mnist}.
 *
 * <pre>{@code
 * LabelledImages.TrainValidation tv = FashionMnist.train().holdOutLast(5_000);
 * DataSetIterator it = tv.train().iterator(128, true, 42);   // [128,28,28,1] / one-hot [128,10]
 * LabelledImages test = FashionMnist.test();
 * }</pre>
 */
public final class FashionMnist {
    private static final Logger log = LoggerFactory.getLogger(FashionMnist.class);

    /** The repository's copy, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("data", "fashion-mnist");
    /** System property naming another default directory. */
    public static final String DIR_PROPERTY = "brainstate4j.fashionMnist.dir";
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int NUM_CLASSES = 10;
    public static final int TRAIN_SIZE = 60_000;
    public static final int TEST_SIZE = 10_000;
    /** Class names, index = label (upstream's README). */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The two splits of the original files. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** File name of the images, without {@code .gz}. */
        public String imagesFile() {
            return prefix + "-images-idx3-ubyte";
        }

        /** File name of the labels, without {@code .gz}. */
        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte";
        }
    }

    private FashionMnist() {}

    /** The default directory: {@value #DIR_PROPERTY} if set, else {@link #DEFAULT_DIR}. */
    public static Path defaultDirectory() {
        String prop = System.getProperty(DIR_PROPERTY);
        return prop != null && !prop.isBlank() ? Path.of(prop) : DEFAULT_DIR;
    }

    /** The 60,000 training images from the default directory. */
    public static LabelledImages train() throws IOException {
        return load(defaultDirectory(), Split.TRAIN);
    }

    /** The 10,000 test images from the default directory. */
    public static LabelledImages test() throws IOException {
        return load(defaultDirectory(), Split.TEST);
    }

    public static LabelledImages train(Path dir) throws IOException {
        return load(dir, Split.TRAIN);
    }

    public static LabelledImages test(Path dir) throws IOException {
        return load(dir, Split.TEST);
    }

    /**
     * Loads one split from {@code dir}: {@code <name>.gz} or {@code <name>}, e.g.
     * {@code train-images-idx3-ubyte.gz}.
     *
     * @throws FileNotFoundException if a file is missing; the message says where it looked and how to get the files
     * @throws InvalidDataFileException if a file is malformed, the images are not 28x28, a label is
     *     outside 0..9, or images and labels differ in count
     */
    public static LabelledImages load(Path dir, Split split) throws IOException {
        long t0 = System.nanoTime();
        Path imagesPath = locate(dir, split.imagesFile());
        Path labelsPath = locate(dir, split.labelsFile());
        IdxFile images = IdxReader.readImages(imagesPath);
        int[] dims = images.dims();
        if (dims[1] != ROWS || dims[2] != COLS) {
            throw new InvalidDataFileException(imagesPath, "holds " + dims[1] + "x" + dims[2]
                    + " images; Fashion-MNIST images are " + ROWS + "x" + COLS);
        }
        IdxFile labels = IdxReader.readLabels(labelsPath, NUM_CLASSES);
        IdxReader.checkSameCount(images, labels);
        log.debug("Fashion-MNIST {}: {} images from {} in {} ms", split, images.count(), dir,
                (System.nanoTime() - t0) / 1_000_000);
        return new LabelledImages(split == Split.TRAIN ? "train" : "test", images.data(), labels.data(), ROWS, COLS, CLASS_NAMES);
    }

    private static Path locate(Path dir, String name) throws FileNotFoundException {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) return raw;
        throw new FileNotFoundException("Fashion-MNIST file " + name + ".gz (or " + name + ") not found in "
                + dir.toAbsolutePath().normalize()
                + (dir.isAbsolute() ? "" : " (" + dir + " relative to the working directory " + Path.of("").toAbsolutePath() + ")")
                + ". The repository ships the four files in data/fashion-mnist/: run from the repository root, set -D"
                + DIR_PROPERTY + "=<dir>, or pass another directory holding them, e.g. /usr/share/datasets/fashion-mnist "
                + "(Debian/Ubuntu package dataset-fashion-mnist) or a download from https://github.com/zalandoresearch/fashion-mnist");
    }
}
