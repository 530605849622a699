package org.brainstate4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainstate4j.graph.NativeBackend;
import org.brainstate4j.models.SimpleCNN;
import org.brainstate4j.models.SimpleUNet;
import org.brainstate4j.nn.Module;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.DataSet;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One stack, one workload, one process: the Java side of the peer benchmark that
 * {@code tools/bench/run_peer_benchmark.py} drives (PyTorch is {@code tools/bench/torch_peer.py}).
 * A training step is SameDiff's own {@code fit} on one batch (forward, backward, Adam update), timed
 * from {@code iterationStart} to {@code iterationDone}; inference is {@code output} of the logits.
 * Peak resident memory is the process's {@code VmHWM} after both.
 *
 * <p>Stacks: {@code brainstate4j} (the tutorial networks of {@code org.brainstate4j.models}),
 * {@code raw} (the same networks written with raw SameDiff ops, see {@link RawNetworks}) and
 * {@code dl4j} (the same networks as DL4J MultiLayerNetwork / ComputationGraph, {@code toDl4j},
 * trained with DL4J's {@code fit}; the tutorial's w64 U-Net is not offered there). The native
 * build is whatever JavaCPP loaded ({@code -Dorg.bytedeco.javacpp.platform.extension=...}).
 * {@code --profile} adds the time per op type (listener from {@code preOpExecution} to
 * {@code opExecution}) and the part of the step spent outside any op.
 *
 * <p>Run: {@code java -cp <test classpath> org.brainstate4j.bench.PeerBenchmark --stack brainstate4j
 * --workload cnn-ws [--warmup 2] [--steps 7] [--inference 7] [--profile]}. Prints one line
 * {@code RESULT {...}} (JSON) that the driver reads.
 */
public final class PeerBenchmark {
    private PeerBenchmark() {}

    /** The five workloads of issue 7: network, batch, per-sample input shape, classes. */
    enum Workload {
        CNN("cnn", false, 64, new long[] {32, 32, 3}, 10, 0),
        CNN_WS("cnn-ws", true, 64, new long[] {32, 32, 3}, 10, 0),
        UNET16("unet16", false, 16, new long[] {64, 64, 3}, 6, 16),
        UNET16_WS("unet16-ws", true, 16, new long[] {64, 64, 3}, 6, 16),
        UNET64("unet64", false, 4, new long[] {128, 128, 3}, 2, 64);

        final String cliName;
        final boolean weightStandardized;
        final int batch;
        final long[] sample;
        final int classes;
        final int width; // 0 for the CNN

        Workload(String cliName, boolean ws, int batch, long[] sample, int classes, int width) {
            this.cliName = cliName;
            this.weightStandardized = ws;
            this.batch = batch;
            this.sample = sample;
            this.classes = classes;
            this.width = width;
        }

        boolean segmentation() { return width > 0; }

        static Workload of(String name) {
            for (Workload w : values()) if (w.cliName.equals(name)) return w;
            throw new IllegalArgumentException("workload (=" + name + ") must be one of "
                    + Arrays.stream(values()).map(w -> w.cliName).toList());
        }

        long[] batched() {
            long[] shape = new long[sample.length + 1];
            shape[0] = batch;
            System.arraycopy(sample, 0, shape, 1, sample.length);
            return shape;
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = parse(args);
        Workload workload = Workload.of(opts.getOrDefault("workload", "cnn"));
        String stack = opts.getOrDefault("stack", "brainstate4j");
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2"));
        int steps = Integer.parseInt(opts.getOrDefault("steps", "7"));
        int inferenceSteps = Integer.parseInt(opts.getOrDefault("inference", "7"));
        boolean profile = opts.containsKey("profile");

        Nd4j.getRandom().setSeed(7);
        if (stack.equals("dl4j")) {
            System.out.println("RESULT " + json(dl4j(workload, warmup, steps, inferenceSteps)));
            return;
        }
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, workload.sample[0], workload.sample[1], workload.sample[2]);
        SDVariable logits = switch (stack) {
            case "brainstate4j" -> model(workload).apply(sd, x);
            case "raw" -> RawNetworks.build(sd, x, workload);
            default -> throw new IllegalArgumentException("stack (=" + stack + ") must be brainstate4j, raw or dl4j");
        };
        SDVariable label = workload.segmentation()
                ? sd.placeHolder("label", DataType.FLOAT, -1, workload.sample[0], workload.sample[1], workload.classes)
                : sd.placeHolder("label", DataType.FLOAT, -1, workload.classes);
        sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("x").dataSetLabelMapping("label").build());

        INDArray features = Nd4j.rand(DataType.FLOAT, workload.batched());
        long[] labelShape = workload.segmentation()
                ? new long[] {workload.batch, workload.sample[0], workload.sample[1], workload.classes}
                : new long[] {workload.batch, workload.classes};
        INDArray labels = oneHot(labelShape);
        DataSet batch = new DataSet(features, labels);

        StepTimer timer = new StepTimer();
        for (int i = 0; i < warmup; i++) sd.fit(batch);
        OpProfile ops = profile ? new OpProfile() : null;
        // One epoch over `steps` copies of the batch, as training runs it (not one fit call per step).
        List<DataSet> copies = new ArrayList<>();
        for (int i = 0; i < steps; i++) copies.add(batch);
        ListDataSetIterator<DataSet> epoch = new ListDataSetIterator<>(copies, 1);
        if (ops != null) sd.fit(epoch, 1, timer, ops);
        else sd.fit(epoch, 1, timer);
        Map<String, INDArray> feed = Map.of("x", features);
        for (int i = 0; i < 2; i++) sd.output(feed, logits.name());
        double[] inference = new double[inferenceSteps];
        for (int i = 0; i < inferenceSteps; i++) {
            long t = System.nanoTime();
            sd.output(feed, logits.name());
            inference[i] = (System.nanoTime() - t) / 1e6;
        }

        double trainMs = Interleaved.median(timer.millis());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stack", stack + (NativeBackend.isOneDnnBuild() ? "-onednn" : "-generic"));
        result.put("workload", workload.cliName);
        result.put("train_ms", trainMs);
        result.put("train_ms_all", timer.millis());
        result.put("infer_ms", Interleaved.median(inference));
        result.put("peak_rss_mib", peakRssMib());
        result.put("params", sd.getTrainingConfig() == null ? 0 : parameterCount(sd));
        if (ops != null) {
            System.out.println(ops.report(steps, trainMs));
        }
        System.out.println("RESULT " + json(result));
    }

    /**
     * The {@code dl4j} stack: the same network as a DL4J MultiLayerNetwork (SimpleCNN) or
     * ComputationGraph (SimpleUNet) from {@code toDl4j}, same seed, data, loss and updater; a step is
     * one {@code fit(DataSet)} (forward, backward, Adam update), timed around the call; inference is
     * {@code output} (softmax probabilities: the loss layer's activation).
     */
    private static Map<String, Object> dl4j(Workload w, int warmup, int steps, int inferenceSteps) throws IOException {
        NeuralNetConfiguration.Builder defaults = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).dataType(DataType.FLOAT);
        org.deeplearning4j.nn.api.Model model;
        java.util.function.Consumer<DataSet> fit;
        java.util.function.Function<INDArray, INDArray> output;
        long params;
        if (w.segmentation()) {
            ComputationGraph graph = new ComputationGraph(SimpleUNet.builder().inSize(w.sample).numClasses(w.classes).width(w.width)
                    .weightStandardized(w.weightStandardized).seed(1).toDl4j(defaults));
            graph.init();
            fit = graph::fit;
            output = x -> graph.outputSingle(x);
            params = graph.numParams();
        } else {
            MultiLayerNetwork net = new MultiLayerNetwork(SimpleCNN.builder().inSize(w.sample).numClasses(w.classes)
                    .weightStandardized(w.weightStandardized).seed(1).toDl4j(defaults));
            net.init();
            fit = net::fit;
            output = net::output;
            params = net.numParams();
        }
        INDArray features = Nd4j.rand(DataType.FLOAT, w.batched());
        long[] labelShape = w.segmentation()
                ? new long[] {w.batch, w.sample[0], w.sample[1], w.classes}
                : new long[] {w.batch, w.classes};
        DataSet batch = new DataSet(features, oneHot(labelShape));
        for (int i = 0; i < warmup; i++) fit.accept(batch);
        double[] train = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t = System.nanoTime();
            fit.accept(batch);
            train[i] = (System.nanoTime() - t) / 1e6;
        }
        for (int i = 0; i < 2; i++) output.apply(features);
        double[] inference = new double[inferenceSteps];
        for (int i = 0; i < inferenceSteps; i++) {
            long t = System.nanoTime();
            output.apply(features);
            inference[i] = (System.nanoTime() - t) / 1e6;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stack", "dl4j" + (NativeBackend.isOneDnnBuild() ? "-onednn" : "-generic"));
        result.put("workload", w.cliName);
        result.put("train_ms", Interleaved.median(train));
        result.put("train_ms_all", train);
        result.put("infer_ms", Interleaved.median(inference));
        result.put("peak_rss_mib", peakRssMib());
        result.put("params", params);
        return result;
    }

    private static Module model(Workload w) {
        if (w.segmentation()) {
            return SimpleUNet.builder().inSize(w.sample).numClasses(w.classes).width(w.width)
                    .weightStandardized(w.weightStandardized).seed(1).build();
        }
        return SimpleCNN.builder().inSize(w.sample).numClasses(w.classes).weightStandardized(w.weightStandardized)
                .seed(1).build();
    }

    private static INDArray oneHot(long[] shape) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, shape);
        long classes = shape[shape.length - 1];
        long rows = labels.length() / classes;
        INDArray flat = labels.reshape(rows, classes);
        java.util.Random random = new java.util.Random(3);
        for (long r = 0; r < rows; r++) flat.putScalar(r, random.nextInt((int) classes), 1.0);
        return labels;
    }

    private static long parameterCount(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) n += v.getArr().length();
        }
        return n;
    }

    /** Peak resident set size of this process (Linux {@code VmHWM}), MiB. */
    static double peakRssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
        return -1;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            if (key.equals("profile")) opts.put(key, "true");
            else if (i + 1 < args.length) opts.put(key, args[++i]);
            else throw new IllegalArgumentException("--" + key + " needs a value");
        }
        return opts;
    }

    static String json(Map<String, Object> map) {
        StringBuilder b = new StringBuilder("{");
        map.forEach((k, v) -> {
            if (b.length() > 1) b.append(", ");
            b.append('"').append(k).append("\": ");
            if (v instanceof String s) b.append('"').append(s).append('"');
            else if (v instanceof double[] a) {
                b.append('[');
                for (int i = 0; i < a.length; i++) b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", a[i]));
                b.append(']');
            } else if (v instanceof Double d) b.append(String.format(Locale.ROOT, "%.3f", d));
            else b.append(v);
        });
        return b.append('}').toString();
    }

    /** A listener that only listens to training. */
    private abstract static class TrainingListener extends BaseListener {
        @Override
        public boolean isActive(Operation operation) { return operation == Operation.TRAINING; }
    }

    /** Wall time of each training iteration. */
    private static final class StepTimer extends TrainingListener {
        private final List<Double> millis = new ArrayList<>();
        private long start;

        @Override
        public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) { start = System.nanoTime(); }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
            millis.add((System.nanoTime() - start) / 1e6);
        }

        double[] millis() { return millis.stream().mapToDouble(Double::doubleValue).toArray(); }
    }

    /** Time per op type, from {@code preOpExecution} to {@code opExecution}, summed over the timed steps. */
    private static final class OpProfile extends TrainingListener {
        private final Map<String, double[]> byOp = new HashMap<>(); // op name -> {ms, count}
        private long opStart;

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) { opStart = System.nanoTime(); }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context, INDArray[] outputs) {
            double[] entry = byOp.computeIfAbsent(op.getOp().opName(), k -> new double[2]);
            entry[0] += (System.nanoTime() - opStart) / 1e6;
            entry[1]++;
        }

        String report(int steps, double stepMs) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "per-op profile (ms per step; step %.1f ms):%n", stepMs));
            double total = byOp.values().stream().mapToDouble(e -> e[0]).sum() / steps;
            byOp.entrySet().stream().sorted((a, c) -> Double.compare(c.getValue()[0], a.getValue()[0])).limit(25)
                    .forEach(e -> b.append(String.format(Locale.ROOT, "  %-28s %8.2f ms %5.1f%%  (%d calls/step)%n",
                            e.getKey(), e.getValue()[0] / steps, 100 * e.getValue()[0] / steps / stepMs,
                            Math.round(e.getValue()[1] / steps))));
            b.append(String.format(Locale.ROOT, "  %-28s %8.2f ms %5.1f%%%n", "(all ops)", total, 100 * total / stepMs));
            b.append(String.format(Locale.ROOT, "  %-28s %8.2f ms %5.1f%%%n", "(outside ops)", stepMs - total,
                    100 * (stepMs - total) / stepMs));
            return b.toString();
        }
    }
}
