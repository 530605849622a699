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
import org.brainstate4j.nn.Network;
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
import org.deeplearning4j.nn.conf.CNN2DFormat;
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
 * trained with DL4J's {@code fit}; the tutorial's w64 U-Net is not offered there) and
 * {@code dl4j-native} (the same networks built from DL4J's own layers, as a DL4J user would write
 * them without brainstate4j, see {@link NativeDl4jNetworks}: ConvolutionLayer, SubsamplingLayer,
 * Deconvolution2D, MergeVertex, OutputLayer / CnnLossLayer, and BatchNormalization in place of
 * weight standardization + GroupNorm, which DL4J lacks; {@code --format nchw}, DL4J's default and
 * the default here, or {@code --format nhwc}, brainstate4j's layout; every workload including the
 * w64 U-Net). The {@code dl4j} and {@code dl4j-native} stacks time a step around one
 * {@code fit(DataSet)} call and inference around {@code output} (softmax probabilities). The native
 * build is whatever JavaCPP loaded ({@code -Dorg.bytedeco.javacpp.platform.extension=...}).
 * {@code --profile} adds the time per op type (listener from {@code preOpExecution} to
 * {@code opExecution}) and the part of the step spent outside any op.
 *
 * <p>Run: {@code java -cp <test classpath> org.brainstate4j.bench.PeerBenchmark --stack brainstate4j
 * --workload cnn-ws [--format nchw|nhwc] [--warmup 15] [--steps 7] [--inference 7] [--profile]}
 * ({@code --format}: {@code dl4j-native} only; {@code --profile}: the SameDiff stacks only). Prints one line
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
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "15"));
        int steps = Integer.parseInt(opts.getOrDefault("steps", "7"));
        int inferenceSteps = Integer.parseInt(opts.getOrDefault("inference", "7"));
        boolean profile = opts.containsKey("profile");

        Nd4j.getRandom().setSeed(7);
        if (stack.equals("dl4j")) {
            System.out.println("RESULT " + json(dl4j(workload, warmup, steps, inferenceSteps)));
            return;
        }
        if (stack.equals("dl4j-native")) {
            String format = opts.getOrDefault("format", "nchw");
            CNN2DFormat f = switch (format) {
                case "nchw" -> CNN2DFormat.NCHW;
                case "nhwc" -> CNN2DFormat.NHWC;
                default -> throw new IllegalArgumentException("--format (=" + format + ") must be nchw or nhwc");
            };
            System.out.println("RESULT " + json(dl4jNative(workload, f, warmup, steps, inferenceSteps)));
            return;
        }
        SameDiff sd = SameDiff.create();
        SDVariable x = input(sd, workload);
        SDVariable logits = switch (stack) {
            case "brainstate4j" -> model(workload).apply(sd, x);
            case "raw" -> RawNetworks.build(sd, x, workload);
            default -> throw new IllegalArgumentException("stack (=" + stack + ") must be brainstate4j, raw, dl4j or dl4j-native");
        };
        addTraining(sd, workload, logits);

        DataSet batch = batch(workload);
        INDArray features = batch.getFeatures();

        StepTimer timer = new StepTimer(warmup);
        OpProfile ops = profile ? new OpProfile(warmup) : null;
        // One epoch over warmup + steps copies of the batch, as training runs it (one fit call per step
        // would set training up on every call and grow the process's memory); the first `warmup` steps,
        // slow while the JIT compiles SameDiff's session code and OneDNN builds its kernels, are not timed.
        List<DataSet> copies = new ArrayList<>();
        for (int i = 0; i < warmup + steps; i++) copies.add(batch);
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
        Dl4jNet net;
        if (w.segmentation()) {
            net = Dl4jNet.of(new ComputationGraph(SimpleUNet.builder().inSize(w.sample).numClasses(w.classes).width(w.width)
                    .weightStandardized(w.weightStandardized).seed(1).toDl4j(defaults)));
        } else {
            net = Dl4jNet.of(new MultiLayerNetwork(SimpleCNN.builder().inSize(w.sample).numClasses(w.classes)
                    .weightStandardized(w.weightStandardized).seed(1).toDl4j(defaults)));
        }
        return timeDl4j(net, w, CNN2DFormat.NHWC, "dl4j", warmup, steps, inferenceSteps);
    }

    /**
     * The {@code dl4j-native} stack: the same networks built from DL4J's own layers, without
     * brainstate4j ({@link NativeDl4jNetworks}: ConvolutionLayer, SubsamplingLayer, Deconvolution2D,
     * MergeVertex, OutputLayer / CnnLossLayer; BatchNormalization in place of WS + GroupNorm), in
     * {@code format} (NCHW, DL4J's default, or NHWC, brainstate4j's layout); timed as the {@code dl4j}
     * stack.
     */
    private static Map<String, Object> dl4jNative(Workload w, CNN2DFormat format, int warmup, int steps, int inferenceSteps)
            throws IOException {
        Dl4jNet net = w.segmentation()
                ? Dl4jNet.of(new ComputationGraph(NativeDl4jNetworks.unet(w.sample, w.classes, w.width, w.weightStandardized, format, 1)))
                : Dl4jNet.of(new MultiLayerNetwork(NativeDl4jNetworks.cnn(w.sample, w.classes, w.weightStandardized, format, 1)));
        return timeDl4j(net, w, format, "dl4j-native-" + format.name().toLowerCase(Locale.ROOT), warmup, steps, inferenceSteps);
    }

    /** A DL4J network, initialized: its fit, its output and its parameter count. */
    private record Dl4jNet(java.util.function.Consumer<DataSet> fit, java.util.function.Function<INDArray, INDArray> output,
            long params) {
        static Dl4jNet of(ComputationGraph graph) {
            graph.init();
            return new Dl4jNet(graph::fit, x -> graph.outputSingle(x), graph.numParams());
        }

        static Dl4jNet of(MultiLayerNetwork net) {
            net.init();
            return new Dl4jNet(net::fit, net::output, net.numParams());
        }
    }

    /**
     * Random data in {@code format}, then {@code warmup} + {@code steps} training steps, each one
     * {@code fit(DataSet)} timed around the call, and inference ({@code output}) after 2 untimed passes.
     */
    private static Map<String, Object> timeDl4j(Dl4jNet net, Workload w, CNN2DFormat format, String stack, int warmup,
            int steps, int inferenceSteps) throws IOException {
        long[] sample = format == CNN2DFormat.NHWC ? w.sample : new long[] {w.sample[2], w.sample[0], w.sample[1]};
        long[] shape = {w.batch, sample[0], sample[1], sample[2]};
        INDArray features = Nd4j.rand(DataType.FLOAT, shape);
        long[] labelShape = !w.segmentation()
                ? new long[] {w.batch, w.classes}
                : format == CNN2DFormat.NHWC
                        ? new long[] {w.batch, w.sample[0], w.sample[1], w.classes}
                        : new long[] {w.batch, w.classes, w.sample[0], w.sample[1]};
        INDArray labels = format == CNN2DFormat.NHWC || !w.segmentation()
                ? oneHot(labelShape)
                // one-hot along the channel axis: drawn channels-last, then laid out NCHW
                : oneHot(new long[] {w.batch, w.sample[0], w.sample[1], w.classes}).permute(0, 3, 1, 2).dup('c');
        DataSet batch = new DataSet(features, labels);
        for (int i = 0; i < warmup; i++) net.fit().accept(batch);
        double[] train = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t = System.nanoTime();
            net.fit().accept(batch);
            train[i] = (System.nanoTime() - t) / 1e6;
        }
        for (int i = 0; i < 2; i++) net.output().apply(features);
        double[] inference = new double[inferenceSteps];
        for (int i = 0; i < inferenceSteps; i++) {
            long t = System.nanoTime();
            net.output().apply(features);
            inference[i] = (System.nanoTime() - t) / 1e6;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stack", stack + (NativeBackend.isOneDnnBuild() ? "-onednn" : "-generic"));
        result.put("workload", w.cliName);
        result.put("train_ms", Interleaved.median(train));
        result.put("train_ms_all", train);
        result.put("infer_ms", Interleaved.median(inference));
        result.put("peak_rss_mib", peakRssMib());
        result.put("params", net.params());
        return result;
    }

    /** The input placeholder {@code "x"}: a batch of the workload's samples. */
    static SDVariable input(SameDiff sd, Workload w) {
        return sd.placeHolder("x", DataType.FLOAT, -1, w.sample[0], w.sample[1], w.sample[2]);
    }

    /** The label placeholder, softmax cross-entropy on {@code logits} and Adam(1e-3): what every SameDiff stack trains. */
    static void addTraining(SameDiff sd, Workload w, SDVariable logits) {
        SDVariable label = w.segmentation()
                ? sd.placeHolder("label", DataType.FLOAT, -1, w.sample[0], w.sample[1], w.classes)
                : sd.placeHolder("label", DataType.FLOAT, -1, w.classes);
        sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("x").dataSetLabelMapping("label").build());
    }

    /** One batch of the workload: uniform random features (ND4J's generator) and random one-hot labels. */
    static DataSet batch(Workload w) {
        INDArray features = Nd4j.rand(DataType.FLOAT, w.batched());
        long[] labelShape = w.segmentation()
                ? new long[] {w.batch, w.sample[0], w.sample[1], w.classes}
                : new long[] {w.batch, w.classes};
        return new DataSet(features, oneHot(labelShape));
    }

    /** brainstate4j's network of the workload, seed 1. */
    static Network model(Workload w) {
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

    /** Wall time of each training iteration after the first {@code skip}. */
    static final class StepTimer extends TrainingListener {
        private final List<Double> millis = new ArrayList<>();
        private final int skip;
        private int seen;
        private long start;

        StepTimer(int skip) { this.skip = skip; }

        @Override
        public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) { start = System.nanoTime(); }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) {
            if (seen++ >= skip) millis.add((System.nanoTime() - start) / 1e6);
        }

        double[] millis() { return millis.stream().mapToDouble(Double::doubleValue).toArray(); }
    }

    /** Time per op type, from {@code preOpExecution} to {@code opExecution}, summed over the timed steps. */
    private static final class OpProfile extends TrainingListener {
        private final Map<String, double[]> byOp = new HashMap<>(); // op name -> {ms, count}
        private final int skip;
        private int iteration;
        private long opStart;

        OpProfile(int skip) { this.skip = skip; }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet data, Loss loss) { iteration++; }

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) { opStart = System.nanoTime(); }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context, INDArray[] outputs) {
            if (iteration < skip) return;
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
