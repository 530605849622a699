package org.brainstate4j.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.brainstate4j.data.ImageInput;
import org.brainstate4j.report.Images;
import org.brainstate4j.report.Plots;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.Predictor;
import org.brainstate4j.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify pictures with a saved classifier (top 3 classes with probabilities), or segment them "
                + "with a saved U-Net (an overlay PNG per picture). Pictures are converted as the training data was: "
                + "grey (cnn) or RGB (unet) values / 255, scaled to the model's input size.")
final class PredictCommand implements Callable<Integer> {
    static final int TOP = 3;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = "cnn",
            description = "cnn, cnn-ws (classify), unet or unet-ws (segment) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Model file (default: <models-dir>/<model>.bs4j)")
    Path file;

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models",
            description = "Where the saved models are (default: ${DEFAULT-VALUE})")
    Path modelsDir;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "out/predict",
            description = "Where segmentation overlays go, as <picture>-overlay.png (default: ${DEFAULT-VALUE})")
    Path out;

    @Parameters(paramLabel = "PICTURE", arity = "1..*", description = "PNG or JPEG files")
    List<Path> pictures;

    @Override
    public Integer call() throws Exception {
        ModelKind kind = ModelKind.fromCliName(model);
        // every picture is read before the model loads or anything is written: a bad one refuses the whole run
        List<BufferedImage> images = new ArrayList<>();
        for (Path p : pictures) images.add(ImageInput.read(p));
        Predictor predictor = Predictor.load(kind, file != null ? file : Trainer.modelFile(modelsDir, kind));
        boolean classify = kind == ModelKind.CNN || kind == ModelKind.CNN_WS;
        for (int i = 0; i < images.size(); i++) {
            System.out.println(classify ? classification(pictures.get(i), predictor, images.get(i))
                    : segmentation(pictures.get(i), predictor, images.get(i)));
        }
        return 0;
    }

    private static String classification(Path picture, Predictor predictor, BufferedImage image) {
        return picture + ": " + predictor.classify(image, TOP).stream()
                .map(s -> s.className() + " " + probability(s.probability()))
                .collect(Collectors.joining(", "));
    }

    /** Three decimals, or two significant digits below 0.001 (so a small probability does not read 0). */
    static String probability(double p) {
        return p >= 0.0005 || p == 0 ? String.format(Locale.ROOT, "%.3f", p) : String.format(Locale.ROOT, "%.1e", p);
    }

    private String segmentation(Path picture, Predictor predictor, BufferedImage image) {
        int[][] classes = predictor.segment(image);
        INDArray input = predictor.input(image);
        Path overlay = out.resolve(baseName(picture) + "-overlay.png");
        Plots.segmentationOverlay(overlay, Images.toFloatImages(input)[0], classes, predictor.classNames());
        long[] counts = new long[predictor.classNames().size()];
        for (int[] row : classes) for (int c : row) counts[c]++;
        long all = (long) classes.length * classes[0].length;
        List<String> shares = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                shares.add(String.format(Locale.ROOT, "%s %.1f%%", predictor.classNames().get(c), 100.0 * counts[c] / all));
            }
        }
        return picture + ": " + String.join(", ", shares) + " of the pixels; overlay written to " + overlay;
    }

    private static String baseName(Path picture) {
        String name = picture.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
