package org.brainstate4j.train;

import static org.brainstate4j.Checks.checkArgument;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainstate4j.io.InvalidModelFileException;
import org.brainstate4j.io.Manifest;
import org.brainstate4j.io.ModelFile;
import org.brainstate4j.nn.Module;
import org.brainstate4j.report.Plots;
import org.brainstate4j.report.Series;
import org.brainstate4j.report.YAxis;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Trains one model end to end with SameDiff's own machinery: {@code TrainingConfig} with Adam,
 * {@link Training#fit} one epoch at a time with a {@link ProgressListener}, evaluation on the validation
 * split after each epoch, then on the test split; saves the model (graph, parameters and updater
 * state in one file), records it in {@code models/manifest.json} and writes PNG plots.
 *
 * <p>Everything that can be refused (options, the models directory's manifest, a model file to resume,
 * data files) is checked before the first line of output and the first output file; every file is
 * written atomically.
 */
public final class Trainer {
    private final TrainingOptions options;
    private final PrintStream out;

    public Trainer(TrainingOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** One epoch's record. */
    public record EpochRecord(int epoch, double trainLoss, double validationMetric, double seconds,
                              MemoryProbe memory) {}

    /** What a run produced. */
    public record Result(Evaluation test, List<EpochRecord> epochs, Path modelFile, Path outDir) {}

    /** The file a model kind is saved to in the models directory (a file name, no directories). */
    public static Path modelFile(Path modelsDir, ModelKind kind) {
        return modelsDir.resolve(kind.cliName() + ".bs4j");
    }

    public Result run() throws IOException {
        requireDirectory("--models-dir", "models directory", options.modelsDir());
        requireDirectory("--out", "output directory", options.outDir());
        ModelRegistry registry = new ModelRegistry(options.modelsDir());
        registry.entries(); // an unreadable manifest is refused now, not after the training it would be saved with
        Experiment experiment = Experiment.of(options);
        // The file to resume and the data are checked before the first line of output: a refusal is one line.
        ModelFile.Loaded resumed = null;
        if (options.resumeFrom() != null) {
            Manifest saved = ModelFile.readManifest(options.resumeFrom());
            Compatibility.require(options.resumeFrom(), saved.metadata(), experiment.modelSettings());
            if (!saved.updaterState()) {
                throw new InvalidModelFileException(options.resumeFrom(), "it was saved without updater state "
                        + "(train always saves it), so --resume cannot continue its training");
            }
            resumed = ModelFile.load(options.resumeFrom(), true);
        }
        experiment.loadData();
        out.printf(Locale.ROOT, "brainstate4j: training %s — %s%n", options.kind(), options.kind().description());
        out.println("data: " + experiment.dataDescription());

        SameDiff sd;
        int epochsBefore = 0;
        if (resumed != null) {
            sd = resumed.sameDiff();
            epochsBefore = sd.getTrainingConfig().getEpochCount();
            out.printf(Locale.ROOT, "resuming from %s (%d epochs trained)%n", options.resumeFrom(), epochsBefore);
        } else {
            sd = buildGraph(experiment);
        }
        out.println("memory: " + MemoryProbe.settings());

        Files.createDirectories(options.outDir());
        Files.createDirectories(options.modelsDir());
        DataSetIterator train = experiment.trainIterator();
        DataSetIterator validation = experiment.validationIterator();
        int steps = stepsPerEpoch(experiment);
        ProgressListener progress = ProgressListener.builder().epochs(epochsBefore + options.epochs())
                .stepsPerEpoch(steps).build();
        List<EpochRecord> records = new ArrayList<>();
        for (int e = 0; e < options.epochs(); e++) {
            long start = System.nanoTime();
            Training.fit(sd, train, 1, progress);
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation val = experiment.evaluate(sd, validation);
            MemoryProbe memory = MemoryProbe.measure();
            double loss = progress.epochMeanLosses()[progress.epochMeanLosses().length - 1];
            records.add(new EpochRecord(epochsBefore + e + 1, loss, val.value(), seconds, memory));
            out.printf(Locale.ROOT, "epoch %2d/%d  train loss %.4f  validation %s %.4f  %.1f s  "
                            + "resident %.0f MiB (off-heap %.0f, heap used %.0f)%n",
                    epochsBefore + e + 1, epochsBefore + options.epochs(), loss, val.metric(), val.value(), seconds,
                    MemoryProbe.mib(memory.residentBytes()), MemoryProbe.mib(memory.offHeapBytes()),
                    MemoryProbe.mib(memory.heapUsedBytes()));
        }

        Evaluation test = experiment.evaluate(sd, experiment.testIterator());
        out.printf(Locale.ROOT, "test %s: %.4f (%d %s)%n", test.metric(), test.value(), test.samples(),
                test.confusion() != null && test.confusion().length > 0 && options.kind() != ModelKind.CNN
                        && options.kind() != ModelKind.CNN_WS ? "pixels" : "values");
        if (test.perClass() != null) {
            String label = options.kind() == ModelKind.CNN || options.kind() == ModelKind.CNN_WS ? "recall" : "IoU";
            for (int c = 0; c < test.perClass().length; c++) {
                out.printf(Locale.ROOT, "  %-12s %s %.4f%n", test.classNames().get(c), label, test.perClass()[c]);
            }
        }

        Path modelFile = modelFile(options.modelsDir(), options.kind());
        Map<String, String> metadata = new LinkedHashMap<>(experiment.modelSettings());
        metadata.put("input", Experiment.INPUT);
        metadata.put("output", Experiment.OUTPUT);
        metadata.put("label", Experiment.LABEL);
        metadata.put("epochs", Integer.toString(epochsBefore + options.epochs()));
        metadata.put("seed", Long.toString(options.seed()));
        metadata.put("testMetric", test.metric());
        metadata.put("testValue", Double.toString(test.value()));
        registry.save(sd, true, metadata, manifestEntry(experiment, test, records, modelFile, epochsBefore));
        out.println("model saved: " + modelFile + " (with updater state), listed in " + registry.manifestPath());

        writePlots(experiment, sd, test, records, progress);
        out.println("plots written to " + options.outDir());
        return new Result(test, records, modelFile, options.outDir());
    }

    /** {@code dir} must be a directory, or not exist yet below a directory (it is then created). */
    private static void requireDirectory(String option, String what, Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) continue;
            checkArgument(Files.isDirectory(p), p.equals(dir.toAbsolutePath())
                    ? "the %s (%s %s) is a file, not a directory; give a directory (created if missing)"
                    : "the %s (%s %s) cannot be created: " + p + " is a file, not a directory", what, option, dir);
            return;
        }
    }

    private SameDiff buildGraph(Experiment experiment) {
        Module model = experiment.buildModel();
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(Experiment.INPUT, DataType.FLOAT, withBatch(experiment.inputShape()));
        SDVariable label = sd.placeHolder(Experiment.LABEL, DataType.FLOAT, withBatch(experiment.labelShape()));
        SDVariable output = model.apply(sd, input).rename(Experiment.OUTPUT);
        experiment.loss(sd, label, output).markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(learningRate(experiment)))
                .dataSetFeatureMapping(Experiment.INPUT).dataSetLabelMapping(Experiment.LABEL).build());
        out.printf(Locale.ROOT, "model: %s, %,d parameters%n", model.typeName(), model.parameterCount());
        return sd;
    }

    /**
     * The learning rate decays exponentially from the chosen rate to a tenth of it over the planned
     * steps (it keeps decaying on {@code --resume}): at a constant rate the validation metric kept
     * wobbling by +-0.015 mean IoU around its plateau. A per-iteration schedule, saved with the updater.
     */
    private ISchedule learningRate(Experiment experiment) {
        long steps = (long) stepsPerEpoch(experiment) * options.epochs();
        return new ExponentialSchedule(ScheduleType.ITERATION, options.learningRate(), Math.pow(0.1, 1.0 / steps));
    }

    private int stepsPerEpoch(Experiment experiment) {
        return (experiment.trainSize() + options.batchSize() - 1) / options.batchSize();
    }

    private static long[] withBatch(long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = -1;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    private JsonObject manifestEntry(Experiment experiment, Evaluation test, List<EpochRecord> records, Path file,
                                     int epochsBefore) {
        JsonObject e = new JsonObject();
        e.addProperty("name", options.kind().cliName());
        e.addProperty("file", file.getFileName().toString()); // ModelRegistry adds the file's sha256 and bytes
        e.addProperty("model", options.kind().cliName());
        e.addProperty("description", options.kind().description());
        e.addProperty("data", experiment.dataDescription());
        e.addProperty("epochs", epochsBefore + options.epochs());
        e.addProperty("batchSize", options.batchSize());
        e.addProperty("learningRate", options.learningRate());
        e.addProperty("optimizer", "Adam, learning rate decaying exponentially to a tenth over the run");
        e.addProperty("seed", options.seed());
        if (options.kind() == ModelKind.UNET || options.kind() == ModelKind.UNET_WS) e.addProperty("width", options.width());
        if (options.trainLimit() > 0) e.addProperty("trainLimit", options.trainLimit());
        JsonObject metric = new JsonObject();
        metric.addProperty("name", test.metric());
        metric.addProperty("split", "test");
        metric.addProperty("value", test.value());
        e.add("metric", metric);
        if (test.perClass() != null) {
            JsonObject perClass = new JsonObject();
            for (int c = 0; c < test.perClass().length; c++) perClass.addProperty(test.classNames().get(c), test.perClass()[c]);
            e.add(options.kind() == ModelKind.UNET || options.kind() == ModelKind.UNET_WS ? "iouPerClass" : "recallPerClass",
                    perClass);
        }
        JsonArray seconds = new JsonArray();
        JsonArray resident = new JsonArray();
        JsonArray offHeap = new JsonArray();
        for (EpochRecord r : records) {
            seconds.add(Math.round(r.seconds() * 10) / 10.0);
            resident.add(Math.round(MemoryProbe.mib(r.memory().residentBytes())));
            offHeap.add(Math.round(MemoryProbe.mib(r.memory().offHeapBytes())));
        }
        e.add("secondsPerEpoch", seconds);
        e.add("residentMiBPerEpoch", resident);
        e.add("offHeapMiBPerEpoch", offHeap);
        e.addProperty("backend", Nd4j.getExecutioner().getClass().getSimpleName() + " "
                + System.getProperty("org.bytedeco.javacpp.platform.extension", ""));
        e.addProperty("trainedAt", Instant.now().toString());
        return e;
    }

    private void writePlots(Experiment experiment, SameDiff sd, Evaluation test, List<EpochRecord> records,
                            ProgressListener progress) throws IOException {
        Path dir = options.outDir();
        String model = options.kind().cliName();
        Chart curves = trainingCurves(records, progress.iterationLosses(), test.metric(), experiment.lossAxisTitle(),
                experiment.metricIsFraction());
        if (curves.series().isEmpty()) { // every loss and metric was NaN: nothing to draw, and no stale picture left
            Files.deleteIfExists(dir.resolve("training-curves.png"));
        } else {
            Plots.trainingCurves(dir.resolve("training-curves.png"), model + " training", curves.series(), "epoch",
                    curves.left(), curves.right());
        }
        Chart memory = memoryCurves(records);
        Plots.trainingCurves(dir.resolve("memory.png"), model + ": memory after each epoch", memory.series(), "epoch",
                memory.left(), null);
        experiment.writePictures(dir, sd, test);
    }

    /** The series of a chart and the y axes of its left and right panel (right: null when not used). */
    record Chart(List<Series> series, YAxis left, YAxis right) {}

    /**
     * training-curves.png: the training loss per step (a trailing mean over an eighth of an epoch, at most 50
     * steps, so one bad batch does not hide the trend) and per epoch against the loss axis titled
     * {@code lossTitle}, and the validation metric per epoch: in a panel of its own on a 0-1 axis when it is a
     * fraction (accuracy, IoU), else on the loss axis (the autoencoder's MSE). Epochs are numbered as
     * trained, so a resumed run continues at the epoch it resumed from. Series with no finite value are left out.
     *
     * @param stepLosses the loss of every step of these epochs
     */
    static Chart trainingCurves(List<EpochRecord> records, double[] stepLosses, String metric, String lossTitle,
                                boolean metricIsFraction) {
        int steps = Math.max(1, stepLosses.length / Math.max(1, records.size()));
        int firstEpoch = records.get(0).epoch() - 1;
        double[] stepX = new double[stepLosses.length];
        for (int i = 0; i < stepX.length; i++) {
            stepX[i] = firstEpoch + (i + 1) / (double) steps;
        }
        int window = Math.max(1, Math.min(50, steps / 8));
        double[] epochs = records.stream().mapToDouble(EpochRecord::epoch).toArray();
        List<Series> series = new ArrayList<>();
        if (stepLosses.length > 0) {
            series.add(Series.of(window == 1 ? "train loss (per step)" : "train loss (mean of the last " + window + " steps)",
                    stepX, trailingMean(stepLosses, window)));
        }
        series.add(Series.of("train loss (epoch mean)", epochs, records.stream().mapToDouble(EpochRecord::trainLoss).toArray()));
        Series validation = Series.of("validation " + metric, epochs,
                records.stream().mapToDouble(EpochRecord::validationMetric).toArray());
        series.add(metricIsFraction ? validation.onRightAxis() : validation);
        series.removeIf(s -> Arrays.stream(s.y()).noneMatch(Double::isFinite));
        return new Chart(series, YAxis.of(lossTitle), metricIsFraction ? YAxis.fraction(metric) : null);
    }

    /** memory.png: resident, off-heap and used heap memory after each epoch, in MiB from 0. */
    static Chart memoryCurves(List<EpochRecord> records) {
        double[] epochs = records.stream().mapToDouble(EpochRecord::epoch).toArray();
        double[] resident = records.stream().mapToDouble(r -> MemoryProbe.mib(r.memory().residentBytes())).toArray();
        double[] offHeap = records.stream().mapToDouble(r -> MemoryProbe.mib(r.memory().offHeapBytes())).toArray();
        double[] heap = records.stream().mapToDouble(r -> MemoryProbe.mib(r.memory().heapUsedBytes())).toArray();
        return new Chart(List.of(Series.of("resident", epochs, resident),
                Series.of("off-heap (resident - committed heap)", epochs, offHeap), Series.of("heap used", epochs, heap)),
                YAxis.fromZero("memory (MiB)"), null);
    }

    /**
     * Mean of each value and the {@code window - 1} before it (fewer at the start), over the finite ones: a
     * step whose loss is NaN is left out, and a window with none is NaN (a gap in the plot).
     */
    static double[] trailingMean(double[] v, int window) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                if (Double.isFinite(v[j])) {
                    sum += v[j];
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }
}
