package org.brainstate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.ImageInput;
import org.brainstate4j.data.LabelledImages;
import org.brainstate4j.io.ModelFile;
import org.brainstate4j.train.CommittedModels;
import org.brainstate4j.train.Experiment;
import org.brainstate4j.train.ModelKind;
import org.brainstate4j.train.Predictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code predict} on the shipped samples (pictures of the test split). The command runs on whatever
 * models/ holds (the main job and {@code train} replace the committed models there), checked against
 * that model's own outputs on the test images; what docs/command-line.md "Predict" shows of the committed models (true
 * class first, the U-Net's segmentation) is checked on the committed files as git's HEAD holds them.
 */
class PredictCommandTest {
    static final Path SAMPLES = Path.of("data", "samples");
    static final String[] FASHION = {"fashion-test-0000-ankle-boot.png", "fashion-test-0001-pullover.png",
            "fashion-test-0002-trouser.png"};

    @Test
    void printsTheTopThreeClassesTheModelGivesTheTestImages() throws IOException {
        List<String> args = new ArrayList<>(List.of("predict"));
        for (String f : FASHION) args.add(SAMPLES.resolve(f).toString());
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        // the saved graph itself on the test images the samples were written from, softmax and top 3 done here
        SameDiff saved = ModelFile.load(Path.of("models", "cnn.bs4j"), false).sameDiff();
        LabelledImages test = FashionMnist.test();
        for (int i = 0; i < 3; i++) {
            INDArray features = test.dataSet(new int[] {i}).getFeatures();
            double[] logits = saved.output(Map.of(Experiment.INPUT, features), Experiment.OUTPUT).get(Experiment.OUTPUT)
                    .castTo(DataType.DOUBLE).toDoubleVector();
            double max = Arrays.stream(logits).max().orElseThrow();
            double[] p = Arrays.stream(logits).map(v -> Math.exp(v - max)).toArray();
            double sum = Arrays.stream(p).sum();
            List<Integer> order = IntStream.range(0, p.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> p[c]).reversed()).toList();
            String expected = SAMPLES.resolve(FASHION[i]) + ": " + order.subList(0, 3).stream()
                    .map(c -> test.classNames().get(c) + " " + PredictCommand.probability(p[c] / sum))
                    .collect(Collectors.joining(", "));
            assertEquals(expected, lines.get(i));
        }
    }

    @Test
    void theCommittedCnnPutsTheTrueClassFirst() throws IOException {
        // the example lines of docs/command-line.md "Predict" (Ankle boot 0.999, ...) are the committed model's
        List<String> args = new ArrayList<>(List.of("predict", "-f", CommittedModels.file("cnn.bs4j").toString()));
        for (String f : FASHION) args.add(SAMPLES.resolve(f).toString());
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        LabelledImages test = FashionMnist.test();
        for (int i = 0; i < 3; i++) {
            String line = lines.get(i);
            String truth = test.classNames().get(test.label(i));
            assertTrue(line.startsWith(SAMPLES.resolve(FASHION[i]) + ": " + truth + " "), line);
            assertEquals(3, line.split(", ").length, line);
        }
    }

    @Test
    void aSamplePictureBecomesExactlyItsTrainingInput() throws IOException {
        Predictor cnn = Predictor.load(ModelKind.CNN, Path.of("models/cnn.bs4j"));
        LabelledImages test = FashionMnist.test();
        for (int i = 0; i < 3; i++) {
            INDArray fromPicture = cnn.input(ImageInput.read(SAMPLES.resolve(FASHION[i])));
            INDArray fromData = test.dataSet(new int[] {i}).getFeatures();
            assertEquals(fromData, fromPicture, FASHION[i]);
        }
        List<Predictor.ClassScore> top = cnn.classify(ImageInput.read(SAMPLES.resolve(FASHION[0])), 3);
        assertEquals(3, top.size());
        assertTrue(top.get(0).probability() >= top.get(1).probability() && top.get(1).probability() >= top.get(2).probability());
        assertTrue(top.stream().mapToDouble(Predictor.ClassScore::probability).sum() <= 1 + 1e-9);
    }

    @Test
    void aLargerJpegIsScaledDownToTheSamePicture(@TempDir Path dir) throws IOException {
        // a 4x enlargement (each pixel a 4x4 block) averages back to the 28x28 original, up to JPEG's loss
        BufferedImage small = ImageInput.read(SAMPLES.resolve(FASHION[2]));
        BufferedImage big = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                int v = small.getRaster().getSample(x / 4, y / 4, 0);
                big.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Path jpeg = dir.resolve("trouser.jpg");
        assertTrue(ImageIO.write(big, "jpeg", jpeg.toFile()));
        Predictor cnn = Predictor.load(ModelKind.CNN, Path.of("models/cnn.bs4j"));
        float[] original = cnn.input(small).data().asFloat();
        float[] scaled = cnn.input(ImageInput.read(jpeg)).data().asFloat();
        double worst = 0;
        for (int p = 0; p < original.length; p++) worst = Math.max(worst, Math.abs(original[p] - scaled[p]));
        assertTrue(worst < 0.08, "largest pixel difference " + worst);
        MainTest.Run r = MainTest.run("predict", "-f", CommittedModels.file("cnn.bs4j").toString(), jpeg.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith(jpeg + ": Trouser "), r.out());
    }

    @Test
    void segmentsACanvasAndWritesTheOverlay(@TempDir Path dir) throws IOException {
        Path canvas = SAMPLES.resolve("canvas-test-0001.png");
        MainTest.Run r = MainTest.run("predict", "-m", "unet", "-o", dir.toString(), canvas.toString());
        assertEquals(0, r.status(), r.err());
        Path overlay = dir.resolve("canvas-test-0001-overlay.png");
        assertEquals(canvas + ": ", r.out().substring(0, canvas.toString().length() + 2));
        assertTrue(r.out().strip().endsWith("overlay written to " + overlay), r.out());
        BufferedImage picture = ImageIO.read(overlay.toFile());
        assertTrue(picture.getWidth() > 3 * 128 && picture.getHeight() > 128, picture.getWidth() + "x" + picture.getHeight());
    }

    @Test
    void theCommittedUNetAgreesWithTheCanvasLabelsOnMostPixels() throws IOException {
        Predictor unet = Predictor.load(ModelKind.UNET, CommittedModels.file("unet.bs4j"));
        var split = org.brainstate4j.train.SampleImages.unetTestSplit();
        int agree = 0, all = 0;
        for (int i = 0; i < 2; i++) {
            int[][] predicted = unet.segment(ImageInput.read(SAMPLES.resolve(String.format("canvas-test-%04d.png", i))));
            int[] truth = split.labelMap(i);
            for (int y = 0; y < predicted.length; y++) {
                for (int x = 0; x < predicted[y].length; x++) {
                    agree += predicted[y][x] == truth[y * predicted[y].length + x] ? 1 : 0;
                    all++;
                }
            }
        }
        assertTrue(agree > 0.9 * all, agree + " of " + all + " pixels");
    }

    @Test
    void badPicturesAndModelsExitTwoWithOneLine(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "not a picture");
        Path truncated = dir.resolve("cut.png");
        byte[] png = Files.readAllBytes(SAMPLES.resolve("canvas-test-0000.png"));
        Files.write(truncated, java.util.Arrays.copyOf(png, 200));
        Path out = dir.resolve("out");
        String[][] cases = {
                {"predict", "-o", out.toString(), text.toString()},
                {"predict", "-o", out.toString(), "-m", "unet", truncated.toString()},
                {"predict", "-o", out.toString(), dir.resolve("missing.png").toString()},
                {"predict", "-o", out.toString(), dir.toString()},
                {"predict", "-o", out.toString(), "-m", "autoencoder", SAMPLES.resolve(FASHION[0]).toString()},
                {"predict", "-o", out.toString(), "-m", "unet", "-f", "models/cnn.bs4j", SAMPLES.resolve(FASHION[0]).toString()},
                {"predict", "-o", out.toString()}};
        String[] messages = {"image " + text + " is not a PNG or JPEG", "image " + truncated + " cannot be decoded",
                "file not found: " + dir.resolve("missing.png"), "image " + dir + " is not a regular file",
                "model (=autoencoder) must be a classifier",
                // whatever cnn models/ holds (the trainer's files carry their whole manifest entry): one line
                Path.of("models", "cnn.bs4j") + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m unet needs a unet model",
                "Missing required parameter: 'PICTURE' (usage: brainstate4j predict --help)"};
        for (int i = 0; i < cases.length; i++) {
            MainTest.Run r = MainTest.run(cases[i]);
            assertEquals(2, r.status(), String.join(" ", cases[i]) + "\n" + r.err());
            assertTrue(r.err().startsWith("brainstate4j: ") && r.err().contains(messages[i]), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out());
        }
        assertTrue(!Files.exists(out), "nothing written");
    }

    @Test
    void withoutAnyNd4jBackendTheCommandLineSaysSoInOneLine() throws Exception {
        // a real ND4J start without a backend: the class path minus nd4j-native (the CUDA build on a machine
        // without CUDA fails the same way, with Nd4jBackend.NoAvailableBackendException)
        String classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("nd4j-native"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                Main.class.getName(), "predict", SAMPLES.resolve(FASHION[0]).toString())
                .redirectErrorStream(false).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        String stderr = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(Main.NO_BACKEND, p.exitValue(), stderr);
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), stderr);
        assertTrue(lines.get(0).startsWith("brainstate4j: ND4J found no backend that runs on this machine"), stderr);
        assertEquals("", stdout);
    }
}
