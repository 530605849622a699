package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.brainstate4j.nn.init.Constant;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded fuzzing of every builder (Conv, ScaledWSConv, ConvTranspose in 1-3 D, Linear, GroupNorm):
 * random valid and invalid settings, extremes included (0, negatives, {@code Integer.MAX_VALUE},
 * 2^33, nulls, wrong lengths, bad names, non-float types). Only {@link IllegalArgumentException}
 * may escape a builder, and its message must name the layer; whatever builds must also apply and
 * run on a small batch, giving the shape it announced. Built under a small {@link SizeLimits}
 * scope so that everything that builds is cheap to run.
 */
class BuilderFuzzTest {
    private static final long SEED = 20_261_201L;
    private static final int CASES = 1_200;
    private static final long[] EXTREME_LONGS = {0, -1, -7, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 33, Long.MAX_VALUE, 1 << 20};
    private static final int[] EXTREME_INTS = {0, -1, -3, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 16, 1 << 20, 4097};

    private final Random random = new Random(SEED);
    private final Map<String, int[]> tally = new TreeMap<>(); // family -> {built, refused}

    @Test
    void onlyIllegalArgumentExceptionEscapesAndWhateverBuildsRuns() {
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        try (SizeLimits.Scope ignored = SizeLimits.scope(1 << 15)) {
            for (int i = 0; i < CASES; i++) {
                int kind = random.nextInt(11);
                String family = kind < 9 ? new String[] {"Conv", "ScaledWSConv", "ConvTranspose"}[kind / 3] + (kind % 3 + 1) + "d"
                        : kind == 9 ? "Linear" : "GroupNorm";
                Case c = kind < 9 ? conv(kind / 3, kind % 3 + 1) : kind == 9 ? linear() : groupNorm();
                String outcome = run(family, c);
                if (outcome != null) failures.add("case " + i + " " + family + " " + c.description + ": " + outcome);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int built = tally.values().stream().mapToInt(t -> t[0]).sum();
        int refusedCount = tally.values().stream().mapToInt(t -> t[1]).sum();
        StringBuilder counts = new StringBuilder();
        tally.forEach((k, v) -> counts.append(String.format("%n  %-16s built %4d  refused %4d", k, v[0], v[1])));
        System.out.printf("%d configurations in %.1f s: %d built and ran, %d refused%s%n", CASES, seconds, built, refusedCount, counts);
        if (!failures.isEmpty()) fail(failures.size() + " failures:\n" + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        assertTrue(built >= CASES / 4 && refusedCount >= CASES / 4, "a mix of valid and invalid configurations: " + counts);
        for (int[] t : tally.values()) assertTrue(t[0] > 10 && t[1] > 10, "every family both built and refused: " + counts);
    }

    /** A configuration: how to build it, how to describe it, and the name it was given (or null). */
    private record Case(Supplier<Module> build, String description, String name, String type) {}

    /** Null when the case behaved; otherwise what went wrong. */
    private String run(String family, Case c) {
        Module module;
        try {
            module = c.build.get();
        } catch (IllegalArgumentException e) {
            tally.computeIfAbsent(family, k -> new int[2])[1]++;
            String m = e.getMessage();
            if (m == null || m.isBlank()) return "refused without a message";
            if (m.startsWith("Padding.")) return null; // a Padding factory, called before the builder
            if (!m.startsWith(c.type)) return "message does not start with the layer type: " + m;
            boolean validName = c.name != null && c.name.matches("[A-Za-z0-9_.\\-]+");
            if (validName && !m.startsWith(c.type + " '" + c.name + "': ")) return "message does not name the layer: " + m;
            return null;
        } catch (Throwable t) {
            return "escaped as " + t;
        }
        tally.computeIfAbsent(family, k -> new int[2])[0]++;
        try {
            return runOnSmallBatch(module);
        } catch (Throwable t) {
            return "built, but running it failed: " + t;
        }
    }

    private static String runOnSmallBatch(Module module) {
        long[] inSize;
        long[] outSize;
        DataType type;
        if (module instanceof ConvLayer l) {
            inSize = l.inSize();
            outSize = l.outSize();
            type = l.dataType();
        } else if (module instanceof Linear l) {
            inSize = l.inSize();
            outSize = l.outSize();
            type = l.dataType();
        } else {
            GroupNorm g = (GroupNorm) module;
            inSize = g.inSize();
            outSize = inSize;
            type = g.dataType();
        }
        long[] inShape = batched(inSize);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", type, withUnknownBatch(inShape));
        SDVariable y = module.apply(sd, x);
        INDArray input = Nd4j.rand(type, inShape).subi(0.5);
        INDArray out = sd.output(Map.of("x", input), y.name()).get(y.name());
        assertArrayEquals(batched(outSize), out.shape(), module + ": output shape");
        return null;
    }

    private static long[] batched(long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = 2;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    private static long[] withUnknownBatch(long[] shape) {
        long[] s = shape.clone();
        s[0] = -1;
        return s;
    }

    // ---- random configurations --------------------------------------------------------------

    private boolean rarely() {
        return random.nextInt(25) == 0;
    }

    private long size(int max) {
        return rarely() ? EXTREME_LONGS[random.nextInt(EXTREME_LONGS.length)] : 1 + random.nextInt(max);
    }

    private int small(int max) {
        return rarely() ? EXTREME_INTS[random.nextInt(EXTREME_INTS.length)] : 1 + random.nextInt(max);
    }

    /** A scalar or per-axis array; sometimes of the wrong length, or null. */
    private int[] perAxis(int n, int max) {
        if (random.nextInt(60) == 0) return null;
        int length = random.nextInt(3) == 0 ? 1 : n;
        if (random.nextInt(30) == 0) length = random.nextInt(5);
        int[] v = new int[length];
        for (int i = 0; i < length; i++) v[i] = small(max);
        return v;
    }

    private String name() {
        int r = random.nextInt(10);
        if (r < 5) return null;
        if (r == 9 && random.nextBoolean()) return random.nextBoolean() ? "bad name!" : "";
        return "layer" + random.nextInt(1000);
    }

    private Object padding(int n) {
        int r = random.nextInt(10);
        if (r < 3) return "SAME";
        if (r < 5) return "VALID";
        if (r == 5) return random.nextInt(40) == 0 ? "same" : (Object) (random.nextInt(7) - 2);
        if (r < 8) {
            int length = random.nextInt(4) == 0 ? random.nextInt(4) : n;
            int[] a = new int[length];
            for (int i = 0; i < length; i++) a[i] = rarely() ? EXTREME_INTS[random.nextInt(EXTREME_INTS.length)] : random.nextInt(6) - 2;
            return a;
        }
        int pairs = random.nextInt(4) == 0 ? 1 : n;
        int[][] p = new int[pairs][];
        for (int i = 0; i < pairs; i++) {
            p[i] = random.nextInt(40) == 0 ? new int[] {1} : new int[] {random.nextInt(6) - 2, random.nextInt(6) - 2};
            if (rarely()) p[i][0] = EXTREME_INTS[random.nextInt(EXTREME_INTS.length)];
        }
        return p;
    }

    private DataType dataType() {
        int r = random.nextInt(40);
        return r == 0 ? DataType.INT32 : r == 1 ? null : r < 8 ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** family: 0 Conv, 1 ScaledWSConv, 2 ConvTranspose. */
    private Case conv(int family, int n) {
        String type = new String[] {"Conv", "ScaledWSConv", "ConvTranspose"}[family] + n + "d";
        boolean channelFirst = random.nextInt(4) == 0;
        long channels = size(4);
        long[] inSize = new long[random.nextInt(30) == 0 ? n : n + 1];
        for (int i = 0; i < inSize.length; i++) inSize[i] = size(6);
        if (inSize.length == n + 1) inSize[channelFirst ? 0 : n] = channels;
        int groups = random.nextInt(5) == 0 ? small(4) : 1;
        int outChannels = small(4) * (groups > 0 && groups < 5 ? groups : 1);
        int[] kernel = perAxis(n, 4);
        int[] stride = random.nextBoolean() ? null : perAxis(n, 3);
        int[] rhs = random.nextInt(3) == 0 ? perAxis(n, 3) : null;
        int[] lhs = family != 2 && random.nextInt(5) == 0 ? perAxis(n, 3) : null;
        Object padding = padding(n);
        boolean bias = random.nextBoolean();
        int nulls = random.nextInt(40);
        DataType dataType = dataType();
        String name = name();
        double eps = random.nextInt(6) == 0 ? new double[] {0, -1, 1e3, Double.POSITIVE_INFINITY, 1e-12}[random.nextInt(5)] : 1e-4;
        String description = String.format("inSize=%s outChannels=%d kernel=%s stride=%s rhs=%s lhs=%s padding=%s groups=%d cf=%s "
                        + "bias=%s nulls=%d type=%s name=%s eps=%s", Arrays.toString(inSize), outChannels, Arrays.toString(kernel),
                Arrays.toString(stride), Arrays.toString(rhs), Arrays.toString(lhs), describe(padding), groups, channelFirst, bias,
                nulls, dataType, name, eps);
        Supplier<Module> build = () -> {
            ConvLayer.Builder<?> b = switch (family) {
                case 0 -> n == 1 ? Conv1d.builder() : n == 2 ? Conv2d.builder() : Conv3d.builder();
                case 1 -> {
                    ScaledWSConv.Builder<?> ws = n == 1 ? ScaledWSConv1d.builder() : n == 2 ? ScaledWSConv2d.builder() : ScaledWSConv3d.builder();
                    yield ws.eps(eps).wsGain(random.nextBoolean());
                }
                default -> n == 1 ? ConvTranspose1d.builder() : n == 2 ? ConvTranspose2d.builder() : ConvTranspose3d.builder();
            };
            if (name != null) b.name(name);
            b.inSize(inSize).outChannels(outChannels).channelFirst(channelFirst).groups(groups);
            if (kernel != null || nulls == 0) b.kernelSize(kernel);
            if (stride != null) b.stride(stride);
            if (rhs != null) b.rhsDilation(rhs);
            if (lhs != null && b instanceof ConvLayer.ForwardBuilder<?> f) f.lhsDilation(lhs);
            applyPadding(b, padding);
            if (bias) b.biasInit(Constant.ZEROS);
            if (dataType != DataType.FLOAT) b.dataType(dataType);
            if (nulls == 1) b.bias(null);
            if (nulls == 2) b.weight(null);
            if (nulls == 3) b.weightInit(null);
            if (nulls == 4) b.padding((Padding) null);
            return b.build();
        };
        return new Case(build, description, name, type);
    }

    private static void applyPadding(ConvLayer.Builder<?> b, Object padding) {
        if (padding instanceof String s) b.padding(s);
        else if (padding instanceof Integer p) b.padding(p);
        else if (padding instanceof int[] a) b.padding(Padding.perAxis(a));
        else b.padding(Padding.pairs((int[][]) padding));
    }

    private static String describe(Object padding) {
        return padding instanceof int[] a ? "perAxis" + Arrays.toString(a)
                : padding instanceof int[][] p ? "pairs" + Arrays.deepToString(p) : String.valueOf(padding);
    }

    private Case linear() {
        int leading = random.nextInt(3) == 0 ? 1 : 0;
        long[] in = new long[leading + 1];
        long[] out = new long[leading + 1];
        for (int i = 0; i < leading; i++) in[i] = out[i] = size(3);
        if (leading > 0 && random.nextInt(20) == 0) out[0] = in[0] + 1;
        in[leading] = size(8);
        out[leading] = size(8);
        boolean bias = random.nextBoolean();
        int nulls = random.nextInt(30);
        DataType dataType = dataType();
        String name = name();
        String description = "inSize=" + Arrays.toString(in) + " outSize=" + Arrays.toString(out) + " bias=" + bias + " nulls=" + nulls
                + " type=" + dataType + " name=" + name;
        Supplier<Module> build = () -> {
            Linear.Builder b = Linear.builder().inSize(in).outSize(out);
            if (name != null) b.name(name);
            if (!bias) b.biasInit(null);
            if (dataType != DataType.FLOAT) b.dataType(dataType);
            if (nulls == 0) b.bias(null);
            if (nulls == 1) b.weight(null);
            if (nulls == 2) b.inSize((long[]) null);
            if (nulls == 3) b.weightInit(null);
            return b.build();
        };
        return new Case(build, description, name, "Linear");
    }

    private Case groupNorm() {
        int rank = 1 + random.nextInt(4);
        boolean channelFirst = random.nextInt(4) == 0;
        long[] in = new long[rank];
        for (int i = 0; i < rank; i++) in[i] = size(5);
        in[channelFirst ? 0 : rank - 1] = size(3) * (random.nextBoolean() ? 2 : 1);
        boolean bySize = random.nextInt(3) == 0;
        int groups = random.nextBoolean() ? 1 : small(3);
        double epsilon = random.nextInt(10) == 0 ? new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}[random.nextInt(4)] : 1e-5;
        DataType dataType = dataType();
        String name = name();
        String description = "inSize=" + Arrays.toString(in) + (bySize ? " groupSize=" : " numGroups=") + groups + " cf=" + channelFirst
                + " epsilon=" + epsilon + " type=" + dataType + " name=" + name;
        Supplier<Module> build = () -> {
            GroupNorm.Builder b = GroupNorm.builder().inSize(in).channelFirst(channelFirst).epsilon(epsilon);
            if (bySize) b.groupSize(groups);
            else b.numGroups(groups);
            if (name != null) b.name(name);
            if (dataType != DataType.FLOAT) b.dataType(dataType);
            return b.build();
        };
        return new Case(build, description, name, "GroupNorm");
    }
}
