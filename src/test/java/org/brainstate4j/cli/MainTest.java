package org.brainstate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.brainstate4j.data.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The main job's command line: a short real training run, and the refusals — each with a clear
 * message, exit status 2 and no output file left behind.
 */
class MainTest {
    @TempDir
    static Path shared;
    static Path trainedModel;

    /** Output of one in-process run. */
    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
        System.setOut(capture); // the trainer reports on System.out
        try {
            int status = Main.run(args, capture, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void anEmptyCommandLineTrainsTheDefaultModelWithDefaults() {
        // The README's main job passes no arguments; training itself is covered by the other tests.
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(Main.DEFAULT_COMMAND);
        assertTrue(parsed.hasSubcommand(), "no subcommand parsed");
        TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals("cnn", train.common.model);
        assertEquals(Path.of("data/fashion-mnist"), train.common.data);
    }

    @Test
    void optionsAloneAreTrainsOptions() {
        // the README's quick run: tools/brainstate4j -e 1
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(Main.withDefaultCommand(new String[] {"-e", "1"}));
        TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals(1, train.epochs);
        assertEquals("cnn", train.common.model);
        assertEquals(List.of("--help"), List.of(Main.withDefaultCommand(new String[] {"--help"})));
        assertEquals(List.of("evaluate", "-m", "unet"), List.of(Main.withDefaultCommand(new String[] {"evaluate", "-m", "unet"})));
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @BeforeAll
    static void trainTinyModel() {
        Path models = shared.resolve("models");
        Run r = run("train", "-m", "cnn", "-e", "1", "-b", "32", "--train-limit", "300",
                "--models-dir", models.toString(), "--out", shared.resolve("out").toString());
        assertEquals(0, r.status(), r.err());
        trainedModel = models.resolve("cnn.bs4j");
    }

    @Test
    void trainingWritesModelManifestAndPlots() throws IOException {
        assertTrue(Files.isRegularFile(trainedModel));
        assertTrue(Files.readString(shared.resolve("models").resolve("manifest.json")).contains("\"name\": \"cnn\""));
        for (String png : List.of("training-curves.png", "memory.png", "confusion-matrix.png")) {
            assertTrue(Files.size(shared.resolve("out").resolve(png)) > 1000, png);
        }
    }

    @Test
    void evaluateReadsTheSavedModel() {
        Run r = run("evaluate", "-m", "cnn", "-f", trainedModel.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("accuracy"), r.out());
    }

    @Test
    void exportWritesAnInferenceFile() throws IOException {
        Path exported = shared.resolve("cnn-inference.bs4j");
        Run r = run("export", "-m", "cnn", "-f", trainedModel.toString(), "-o", exported.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("inference", org.brainstate4j.io.ModelFile.readManifest(exported).metadata().get("kind"));
    }

    @Test
    void helpExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("train") && r.out().contains("evaluate"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "train -m resnet                 | unknown model 'resnet'",
            "train -e 0                      | epochs (=0) must be at least 1",
            "train -e -3                     | epochs (=-3) must be at least 1",
            "train -b 0                      | batch size (=0) must be at least 1",
            "train --learning-rate -1        | learning rate (=-1.0) must be positive",
            "train -m unet --width 12        | width (=12) must be a positive multiple of 8",
            "train --epochs many             | Invalid value for option '--epochs'",
            "train --no-such-option          | Unknown option: '--no-such-option'"})
    void badArgumentsExitTwoWithoutOutput(String args, String message, @TempDir Path dir) throws IOException {
        List<String> argv = new ArrayList<>(List.of(args.trim().split("\\s+")));
        argv.addAll(List.of("--out", dir.resolve("out").toString(), "--models-dir", dir.resolve("models").toString()));
        Run r = run(argv.toArray(String[]::new));
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(List.of(), filesUnder(dir));
    }

    @Test
    void missingDataExitsTwoNamingWhereItLooked(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-data"));
        Run r = run("train", "--data", empty.toString(), "--out", dir.resolve("out").toString(),
                "--models-dir", dir.resolve("models").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains(empty.toString()), r.err());
        assertEquals(List.of(), filesUnder(dir.resolve("out")));
        assertEquals(List.of(), filesUnder(dir.resolve("models")));
    }

    @Test
    void corruptDataExitsTwoNamingTheFile(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (FashionMnist.Split split : FashionMnist.Split.values()) {
            for (String f : List.of(split.imagesFile(), split.labelsFile())) {
                Files.copy(FashionMnist.DEFAULT_DIR.resolve(f + ".gz"), data.resolve(f + ".gz"));
            }
        }
        Path labels = data.resolve(FashionMnist.Split.TRAIN.labelsFile() + ".gz");
        byte[] bytes = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated gzip
        Run r = run("train", "--data", data.toString(), "--out", dir.resolve("out").toString(),
                "--models-dir", dir.resolve("models").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains(labels.toString()), r.err());
        assertEquals(List.of(), filesUnder(dir.resolve("out")));
    }

    @Test
    void modelFileOfAnotherModelIsRefused(@TempDir Path dir) throws IOException {
        // the trainer's model file carries its whole manifest entry; the refusal names only the model
        Run evaluate = run("evaluate", "-m", "unet", "-f", trainedModel.toString());
        assertEquals(2, evaluate.status());
        assertEquals("brainstate4j: " + trainedModel + ": it holds a cnn model (SimpleCNN, input 28x28x1); "
                + "-m unet needs a unet model\n", evaluate.err());
        Run resume = run("train", "-m", "cnn-ws", "--resume", trainedModel.toString(), "--out",
                dir.resolve("out").toString(), "--models-dir", dir.resolve("models").toString());
        assertEquals(2, resume.status());
        assertEquals("brainstate4j: " + trainedModel + ": it holds a cnn model (SimpleCNN, input 28x28x1); "
                + "-m cnn-ws needs a cnn-ws model\n", resume.err());
        assertEquals("", resume.out());
        assertEquals(List.of(), filesUnder(dir));
    }

    @Test
    void resumeContinuesASavedModel(@TempDir Path dir) throws IOException {
        // the file to resume is read before the data (so a wrong one is refused before any output)
        Run r = run("train", "-m", "cnn", "-e", "1", "-b", "32", "--train-limit", "300", "--resume", trainedModel.toString(),
                "--models-dir", dir.resolve("models").toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("resuming from " + trainedModel + " (1 epochs trained)"), r.out());
        assertTrue(r.out().contains("epoch  2/2"), r.out());
        assertEquals("2", org.brainstate4j.io.ModelFile.readManifest(dir.resolve("models").resolve("cnn.bs4j"))
                .metadata().get("epochs"));
    }

    @Test
    void notAModelFileIsRefused(@TempDir Path dir) throws IOException {
        Path bogus = Files.writeString(dir.resolve("model.bs4j"), "hello");
        Run r = run("evaluate", "-m", "cnn", "-f", bogus.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains(bogus.toString()) && r.err().contains("not a brainstate4j model file"), r.err());
    }
}
