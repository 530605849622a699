package org.brainstate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.brainstate4j.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Every refusal of the command line, swept: each argument list exits with status 2, prints nothing on
 * stdout and exactly one line on stderr, {@code brainstate4j: ...}, which says what is wrong and dumps
 * no settings map or JSON (a model file's metadata holds its whole manifest entry), and writes nothing.
 * Bad options (picocli's and the commands' own), bad files (missing, not a model, truncated, without
 * updater state, an inference export, parameters that do not fit, a broken manifest, bad data and
 * pictures) and model files of another model (kind, width) for train --resume, evaluate, predict and
 * export. The model files are made here, small, with the metadata the trainer writes, so the sweep
 * does not depend on what training left in models/ (one row reads models/cnn.bs4j, whatever cnn it is).
 */
class RefusalsTest {
    /** A settings map's or JSON object's braces, or Map.toString's "key=value, key=" pairs. */
    private static final Pattern DUMP = Pattern.compile("[{}]|\\w=[^\\s,]*, \\w+=");
    private static final Path SAMPLE = Path.of("data", "samples", "fashion-test-0000-ankle-boot.png");

    @TempDir
    static Path dir;
    static Path out;
    static Path text;
    static Path cnn;
    static Path cnnWithEntry;
    static Path cnnNoUpdater;
    static Path unet16;
    static Path inference;
    static Path bare;
    static Path truncated;
    static Path emptyDir;
    static Path badData;
    static Path badManifestDir;
    static Path partialManifestDir;
    static Path noModelsManifestDir;
    static Path notPicture;
    static Path cutPicture;

    @BeforeAll
    static void files() throws IOException {
        org.brainstate4j.graph.SameDiffNoise.install(); // SameDiff's "Added differentiated op" lines, as nn.Module drops them
        out = dir.resolve("out"); // every row that writes is pointed here; it must never appear
        text = Files.writeString(dir.resolve("notes.bs4j"), "not a model");
        Map<String, String> cnnSettings = Map.of("model", "cnn", "inputShape", "[28, 28, 1]", "outputShape", "[10]",
                "width", "-", "seed", "42");
        cnn = save("cnn.bs4j", true, cnnSettings);
        Map<String, String> withEntry = new LinkedHashMap<>(cnnSettings);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", "cnn");
        entry.put("file", "cnn.bs4j");
        entry.put("metric", Map.of("name", "accuracy", "split", "test", "value", 0.9));
        entry.put("secondsPerEpoch", List.of(30.1, 29.8, 31.0));
        withEntry.put("registryEntry", new GsonBuilder().setPrettyPrinting().create().toJson(entry)); // as train saves
        cnnWithEntry = save("cnn-with-entry.bs4j", true, withEntry);
        cnnNoUpdater = save("cnn-no-updater.bs4j", false, cnnSettings);
        unet16 = save("unet-16.bs4j", true, Map.of("model", "unet", "inputShape", "[64, 64, 3]",
                "outputShape", "[64, 64, 6]", "width", "16", "seed", "42"));
        inference = save("inference.bs4j", false, Map.of("kind", "inference", "module", "SimpleCNN",
                "input", "input", "output", "output", "inputShape", "[28, 28, 1]"));
        bare = save("bare.bs4j", false, Map.of());
        byte[] whole = Files.readAllBytes(cnn);
        truncated = Files.write(dir.resolve("truncated.bs4j"), Arrays.copyOf(whole, whole.length / 2));
        emptyDir = Files.createDirectories(dir.resolve("empty"));
        badData = Files.createDirectories(dir.resolve("bad-data"));
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.writeString(badData.resolve(f), "not an IDX file");
        }
        badManifestDir = manifestDir("bad-manifest", "{ \"models\": [ {\"name\": ");
        partialManifestDir = manifestDir("partial-manifest", "{\"models\": [{\"name\": \"cnn\", \"file\": \"cnn.bs4j\"}]}");
        noModelsManifestDir = manifestDir("no-models-manifest", "{\"other\": 1}");
        notPicture = Files.writeString(dir.resolve("notes.png"), "not a picture");
        byte[] png = Files.readAllBytes(Path.of("data", "samples", "canvas-test-0000.png"));
        cutPicture = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, 200));
    }

    /** A small trained graph saved with {@code metadata}: what matters to the refusals is the metadata. */
    private static Path save(String name, boolean withUpdaterState, Map<String, String> metadata) throws IOException {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("input", DataType.FLOAT, -1, 2);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 1);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 2, 1));
        SDVariable output = x.mmul(w).rename("output");
        sd.loss().meanSquaredError("loss", label, output, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());
        sd.fit(new DataSet(Nd4j.ones(DataType.FLOAT, 1, 2), Nd4j.ones(DataType.FLOAT, 1, 1)));
        Path file = dir.resolve(name);
        ModelFile.save(sd, file, withUpdaterState, metadata);
        return file;
    }

    private static Path manifestDir(String name, String manifest) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("manifest.json"), manifest);
        return d;
    }

    /** One refusal: the arguments and a part of the message that shows it is the refusal meant. */
    private record Row(String expected, String... args) {}

    private static Row row(String expected, Object... args) {
        return new Row(expected, Arrays.stream(args).map(Object::toString).toArray(String[]::new));
    }

    private static List<Row> rows() {
        String o = out.toString();
        String s = SAMPLE.toString();
        List<Row> rows = new ArrayList<>();
        // the command line itself (picocli)
        rows.add(row("Unmatched argument at index 0: 'frobnicate' (usage: brainstate4j --help)", "frobnicate"));
        rows.add(row("Unmatched argument at index 0: 'tarin' (usage: brainstate4j --help)", "tarin"));
        // options alone are train's (tools/brainstate4j -e 1)
        rows.add(row("Unknown option: '--no-such-option' (usage: brainstate4j train --help)", "--no-such-option"));
        rows.add(row("batch size (=0) must be at least 1", "-b", "0", "--out", out));
        rows.add(row("Unknown subcommand 'frobnicate' (usage: brainstate4j --help)", "help", "frobnicate"));
        // train: options
        rows.add(row("unknown model 'resnet'; choose one of cnn, cnn-ws, autoencoder, unet, unet-ws", "train", "-m", "resnet", "--out", o));
        rows.add(row("epochs (=0) must be at least 1", "train", "-e", "0", "--out", o));
        rows.add(row("epochs (=-3) must be at least 1", "train", "-e", "-3", "--out", o));
        rows.add(row("batch size (=0) must be at least 1", "train", "-b", "0", "--out", o));
        rows.add(row("learning rate (=-1.0) must be positive", "train", "--learning-rate", "-1", "--out", o));
        rows.add(row("learning rate (=NaN) must be positive", "train", "--learning-rate", "NaN", "--out", o));
        rows.add(row("width (=12) must be a positive multiple of 8", "train", "-m", "unet", "--width", "12", "--out", o));
        rows.add(row("train limit (=-1) must not be negative", "train", "--train-limit", "-1", "--out", o));
        rows.add(row("Invalid value for option '--epochs': 'many' is not an int (usage: brainstate4j train --help)",
                "train", "--epochs", "many", "--out", o));
        rows.add(row("Unknown option: '--no-such-option' (usage: brainstate4j train --help)", "train", "--no-such-option"));
        rows.add(row("Missing required parameter for option '--seed'", "train", "--out", o, "--seed"));
        // train: files and directories
        rows.add(row(emptyDir.toString(), "train", "--data", emptyDir, "--out", o, "--models-dir", dir.resolve("m1")));
        rows.add(row(badData.toString(), "train", "--data", badData, "--out", o, "--models-dir", dir.resolve("m2")));
        rows.add(row("the models directory (--models-dir " + text + ") is a file, not a directory",
                "train", "--models-dir", text, "--out", o));
        rows.add(row("the output directory (--out " + text + ") is a file", "train", "--out", text,
                "--models-dir", dir.resolve("m3")));
        rows.add(row("model manifest " + badManifestDir.resolve("manifest.json") + " is not valid JSON",
                "train", "--models-dir", badManifestDir, "--out", o));
        rows.add(row(cnn + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m cnn-ws needs a cnn-ws model",
                "train", "-m", "cnn-ws", "--resume", cnn, "--out", o, "--models-dir", dir.resolve("m4")));
        rows.add(row(cnnWithEntry + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m unet needs a unet model",
                "train", "-m", "unet", "--resume", cnnWithEntry, "--out", o, "--models-dir", dir.resolve("m5")));
        rows.add(row(unet16 + ": it holds a unet model (SimpleUNet, width 16, input 64x64x3); -m unet --width 32 needs width 32",
                "train", "-m", "unet", "--width", "32", "--resume", unet16, "--out", o, "--models-dir", dir.resolve("m6")));
        rows.add(row(cnnNoUpdater + ": it was saved without updater state (train always saves it), so --resume cannot continue its training",
                "train", "--resume", cnnNoUpdater, "--out", o, "--models-dir", dir.resolve("m7")));
        rows.add(row("file not found: " + dir.resolve("missing.bs4j"),
                "train", "--resume", dir.resolve("missing.bs4j"), "--out", o, "--models-dir", dir.resolve("m8")));
        rows.add(row(text + ": not a brainstate4j model file", "train", "--resume", text, "--out", o, "--models-dir", dir.resolve("m9")));
        // evaluate
        rows.add(row("unknown model 'resnet'", "evaluate", "-m", "resnet"));
        rows.add(row(cnnWithEntry + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m unet needs a unet model",
                "evaluate", "-m", "unet", "-f", cnnWithEntry));
        rows.add(row(cnn + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m autoencoder needs an autoencoder model",
                "evaluate", "-m", "autoencoder", "-f", cnn));
        rows.add(row(unet16 + ": it holds a unet model (SimpleUNet, width 16, input 64x64x3); -m unet --width 32 needs width 32",
                "evaluate", "-m", "unet", "--width", "32", "-f", unet16));
        rows.add(row(inference + ": it holds an inference export (SimpleCNN, input 28x28x1), not a trained model; -m cnn needs a cnn model",
                "evaluate", "-f", inference));
        rows.add(row(bare + ": it holds no model saved by train (its metadata has no model setting); -m cnn needs a cnn model",
                "evaluate", "-f", bare));
        rows.add(row("file not found: " + dir.resolve("missing.bs4j"), "evaluate", "-f", dir.resolve("missing.bs4j")));
        rows.add(row(text + ": not a brainstate4j model file", "evaluate", "-f", text));
        rows.add(row(truncated.toString(), "evaluate", "-f", truncated));
        rows.add(row(emptyDir.toString(), "evaluate", "-f", cnn, "--data", emptyDir));
        // predict
        rows.add(row(Path.of("models", "cnn.bs4j") + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m unet needs a unet model",
                "predict", "-o", o, "-m", "unet", "-f", Path.of("models", "cnn.bs4j"), s));
        rows.add(row(cnnWithEntry + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m unet-ws needs a unet-ws model",
                "predict", "-o", o, "-m", "unet-ws", "-f", cnnWithEntry, s));
        rows.add(row(unet16 + ": it holds a unet model (SimpleUNet, width 16, input 64x64x3); -m cnn needs a cnn model",
                "predict", "-o", o, "-f", unet16, s));
        rows.add(row(inference + ": it holds an inference export (SimpleCNN, input 28x28x1), not a trained model; -m cnn needs a cnn model",
                "predict", "-o", o, "-f", inference, s));
        rows.add(row("model (=autoencoder) must be a classifier (cnn, cnn-ws) or a U-Net (unet, unet-ws)",
                "predict", "-o", o, "-m", "autoencoder", s));
        rows.add(row("unknown model 'resnet'", "predict", "-o", o, "-m", "resnet", s));
        rows.add(row("file not found: " + emptyDir.resolve("cnn.bs4j"), "predict", "-o", o, "--models-dir", emptyDir, s));
        rows.add(row("image " + notPicture + " is not a PNG or JPEG", "predict", "-o", o, notPicture));
        rows.add(row("image " + cutPicture + " cannot be decoded", "predict", "-o", o, "-m", "unet", cutPicture));
        rows.add(row("file not found: " + dir.resolve("missing.png"), "predict", "-o", o, dir.resolve("missing.png")));
        rows.add(row("image " + emptyDir + " is not a regular file", "predict", "-o", o, emptyDir));
        rows.add(row("Missing required parameter: 'PICTURE' (usage: brainstate4j predict --help)", "predict", "-o", o));
        // export
        rows.add(row("Invalid value for option '--format': expected one of [bs4j, onnx]",
                "export", "--format", "tflite", "-o", out.resolve("x.tflite")));
        rows.add(row("Missing required option: '--output=FILE' (usage: brainstate4j export --help)", "export"));
        rows.add(row(cnnWithEntry + ": it holds a cnn model (SimpleCNN, input 28x28x1); -m unet needs a unet model",
                "export", "-m", "unet", "-f", cnnWithEntry, "-o", out.resolve("unet.bs4j")));
        rows.add(row("cannot load the parameters of SimpleCNN 'cnn' from " + cnn + "; nothing was assigned: 5 missing from the file",
                "export", "-f", cnn, "-o", out.resolve("cnn.onnx"), "--format", "onnx"));
        rows.add(row("file not found: " + dir.resolve("missing.bs4j"), "export", "-f", dir.resolve("missing.bs4j"),
                "-o", out.resolve("cnn.bs4j")));
        // models
        rows.add(row("model manifest " + badManifestDir.resolve("manifest.json") + " is not valid JSON of the expected form: "
                + "End of input at line 1 column 24 path $.models[0].name", "models", "--models-dir", badManifestDir));
        rows.add(row("model manifest " + partialManifestDir.resolve("manifest.json") + ": the entry 'cnn' needs file, epochs and metric",
                "models", "--models-dir", partialManifestDir));
        rows.add(row("model manifest " + noModelsManifestDir.resolve("manifest.json") + " is not valid JSON of the expected form: it has no \"models\" array",
                "models", "--models-dir", noModelsManifestDir));
        rows.add(row("Unknown options: '-m', 'cnn' (usage: brainstate4j models --help)", "models", "-m", "cnn"));
        // summary
        rows.add(row("unknown model 'resnet'", "summary", "-m", "resnet"));
        rows.add(row("width (=12) must be a positive multiple of 8", "summary", "-m", "unet", "--width", "12"));
        rows.add(row("Invalid value for option '--width': 'wide' is not an int (usage: brainstate4j summary --help)",
                "summary", "--width", "wide"));
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyRefusalIsOneLineWithStatusTwo() {
        return rows().stream().map(r -> DynamicTest.dynamicTest(String.join(" ", r.args()), () -> {
            MainTest.Run run = MainTest.run(r.args());
            String shown = String.join(" ", r.args()) + "\nstdout:\n" + run.out() + "stderr:\n" + run.err();
            assertEquals(2, run.status(), shown);
            assertEquals("", run.out(), shown);
            List<String> lines = run.err().lines().toList();
            assertEquals(1, lines.size(), shown);
            String line = lines.get(0);
            assertTrue(line.startsWith("brainstate4j: "), shown);
            assertTrue(line.contains(r.expected()), "expected \"" + r.expected() + "\" in\n" + line);
            assertFalse(DUMP.matcher(line).find(), "a settings map or JSON in\n" + line);
            assertTrue(line.length() <= 500, line.length() + " characters:\n" + line); // the longest: data not found, 464
            assertFalse(Files.exists(out), "written under " + out + " by " + String.join(" ", r.args()));
        }));
    }

    @org.junit.jupiter.api.Test
    void theLauncherCheckOfCiStaysTrue() {
        // .ci/run compares this exact line
        assertEquals("brainstate4j: batch size (=0) must be at least 1\n",
                MainTest.run("train", "-b", "0", "--out", out.toString()).err());
    }
}
