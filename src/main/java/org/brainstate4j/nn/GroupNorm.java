package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.brainstate4j.graph.StaticShapes;
import org.brainstate4j.nn.init.Constant;
import org.brainstate4j.nn.init.Initializer;
import org.brainstate4j.nn.init.Seeds;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BrainState's {@code GroupNorm} as graph ops, the usual partner of weight standardization. The
 * channels (last axis, or axis 1 with {@code channelFirst}) are split into {@code numGroups} groups;
 * each sample's statistics are taken over its spatial axes and the channels of a group, the variance
 * being the population variance (BrainState's "fast" {@code max(0, E[x^2] - E[x]^2)}, computed here
 * as the mean of centered squares for float32 precision):
 * <pre>  y = (x - mean) * rsqrt(var + epsilon) * scale + bias</pre>
 * {@code scale} (ones) and {@code bias} (zeros) have shape {@code (C,)}. The input must be batched:
 * BrainState always reads the first axis as the batch.
 *
 * <p>{@code inSize} is the per-sample shape, e.g. {@code (H, W, C)}; BrainState 0.5.4 itself only
 * accepts {@code (C,)} (an assertion in its constructor) and normalizes inputs of any rank the same way.
 */
public final class GroupNorm extends Module implements ParameterizedLayer {
    private final long[] inSize;
    private final boolean channelFirst;
    private final int channels;
    private final int numGroups;
    private final double epsilon;
    private final DataType dataType;
    private final Map<String, INDArray> parameters = new LinkedHashMap<>();

    private GroupNorm(Builder b) {
        super(b.name);
        Validated v = b.validated();
        this.inSize = v.inSize();
        this.channelFirst = b.channelFirst;
        this.channels = v.channels();
        this.numGroups = v.numGroups();
        this.epsilon = b.epsilon;
        this.dataType = b.dataType;
        parameters.putAll(v.parameters().create(b.seed));
    }

    private record Validated(long[] inSize, int channels, int numGroups, ParameterDeclarations parameters) {}

    public long[] inSize() { return inSize.clone(); }
    public int numGroups() { return numGroups; }
    public int groupSize() { return channels / numGroups; }
    public double epsilon() { return epsilon; }
    /** True when the channel axis is the first per-sample axis ({@code (C, *spatial)}). */
    public boolean channelFirst() { return channelFirst; }
    public DataType dataType() { return dataType; }

    @Override
    protected Map<String, INDArray> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * BrainState's formula written for float32 precision and speed, with the same values: the input is
     * viewed as {@code (N, S, G, Cg)} (channels last) or {@code (N, G, Cg, S)} (channel first), S =
     * prod(spatial); each (sample, group) mean is one reduction, the input is centered on it, and the
     * variance is the mean of the centered squares (less the squared residual mean the float32 mean
     * leaves), which equals BrainState's {@code max(0, E[x^2] - E[x]^2)} in exact arithmetic but does
     * not cancel where a group's mean dwarfs its spread (the fast variance loses about
     * {@code (mean / std)^2} ulps). Normalization and scale fold into one per-(sample, channel) factor
     * {@code a = rsqrt(var + epsilon) * scale}, spread to the full shape before the multiply (see
     * {@link Broadcasts}): {@code y = centered * a + bias}. Any epsilon is accepted, as in BrainState:
     * where {@code var + epsilon <= 0} (a constant group with {@code epsilon <= 0}) the group's output is
     * NaN, as BrainState's is.
     */
    @Override
    protected SDVariable forward(SameDiff sd, SDVariable x) {
        return normalize(sd, x, name -> parameter(sd, name));
    }

    /**
     * This layer's computation on parameter variables the caller owns (DL4J's parameter table, say),
     * keyed as {@link #parameters()}, with the same checks and ops as {@link #apply} but no name scope.
     */
    @Override
    public SDVariable emit(SameDiff sd, SDVariable x, Map<String, SDVariable> parameterVariables) {
        return normalize(sd, x, Module.given(this, parameterVariables));
    }

    private SDVariable normalize(SameDiff sd, SDVariable x, Function<String, SDVariable> parameter) {
        long[] shape = InputChecks.requireBatched(this, x, inSize, dataType);
        int rank = shape.length;
        long spatial = 1;
        for (int i = 1; i < rank; i++) spatial *= shape[i];
        spatial /= channels;
        int groupSize = channels / numGroups;
        // (N, S, G, Cg) or (N, G, Cg, S): one reduction over a group's axes gives each (sample, group) statistic
        int[] groupAxes = channelFirst ? new int[] {2, 3} : new int[] {1, 3};
        long[] grouped = channelFirst ? new long[] {-1, numGroups, groupSize, spatial} : new long[] {-1, spatial, numGroups, groupSize};
        long[] perChannel = channelFirst ? new long[] {1, numGroups, groupSize, 1} : new long[] {1, 1, numGroups, groupSize};
        SDVariable x4 = sd.reshape(x, grouped);
        // Centered on the float32 mean, the input keeps its spread; the mean's own rounding error
        // (an ulp of the mean, large against the spread when the mean dwarfs it) is the residual mean
        // of the centered values, taken out of the variance and the output (both shift-invariant).
        SDVariable centered = x4.sub(x4.mean(true, groupAxes));
        SDVariable residual = centered.mean(true, groupAxes);                                          // (N, G) as (N, 1, G, 1)
        SDVariable variance = sd.math().max(centered.mul(centered).mean(true, groupAxes).sub(residual.mul(residual)),
                sd.constant(Nd4j.scalar(dataType, 0.0)));                                           // BrainState's clamp
        SDVariable a = sd.math().rsqrt(variance.add(epsilon));
        if (parameters.containsKey("scale")) a = a.mul(sd.reshape(parameter.apply("scale"), perChannel)); // (N, G, Cg)
        SDVariable shift = residual.mul(a).neg();
        if (parameters.containsKey("bias")) shift = shift.add(sd.reshape(parameter.apply("bias"), perChannel));
        SDVariable normalized = Broadcasts.multiply(sd, centered, a).add(shift);
        long[] restored = shape.clone();
        restored[0] = -1;
        SDVariable y = sd.reshape(normalized, restored);
        StaticShapes.record(y, shape);
        return y;
    }

    @Override
    public String toString() {
        return name() + ": GroupNorm(inSize=" + Arrays.toString(inSize) + ", numGroups=" + numGroups
                + (epsilon != 1e-6 ? ", epsilon=" + epsilon : "") + (channelFirst ? ", channelFirst=true" : "") + ")";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required: {@code inSize}; one of {@code numGroups} (default 32) or {@code groupSize}. */
    public static final class Builder {
        private long[] inSize;
        private Integer numGroups = 32;
        private Integer groupSize;
        private double epsilon = 1e-6;
        private boolean channelFirst;
        private Initializer scaleInit = Constant.ONES;
        private Initializer biasInit = Constant.ZEROS;
        private DataType dataType = DataType.FLOAT;
        private String name;
        private Long seed;

        private Builder() {}

        public Builder inSize(long... inSize) { this.inSize = inSize; return this; }
        /** Number of channel groups (default 32); clears {@link #groupSize}. */
        public Builder numGroups(int numGroups) { this.numGroups = numGroups; this.groupSize = null; return this; }
        /** Channels per group; clears {@link #numGroups}. */
        public Builder groupSize(int groupSize) { this.groupSize = groupSize; this.numGroups = null; return this; }
        /**
         * Added to the variance; default 1e-6 (BrainState's). Any value is accepted, as in BrainState:
         * with {@code epsilon <= 0} a group whose variance is 0 (a constant group) gives NaN.
         */
        public Builder epsilon(double epsilon) { this.epsilon = epsilon; return this; }
        public Builder channelFirst(boolean channelFirst) { this.channelFirst = channelFirst; return this; }
        /** Default ones; {@code null} for no scale. */
        public Builder scaleInit(Initializer scaleInit) { this.scaleInit = scaleInit; return this; }
        /** Default zeros; {@code null} for no bias. */
        public Builder biasInit(Initializer biasInit) { this.biasInit = biasInit; return this; }
        public Builder dataType(DataType dataType) { this.dataType = dataType; return this; }
        public Builder name(String name) { this.name = name; return this; }
        /** Seed for the initializers (random ones only; the defaults are constants); default: the next generator of {@link Seeds}. */
        public Builder seed(long seed) { this.seed = seed; return this; }

        public GroupNorm build() { return new GroupNorm(this); }

        /**
         * Validates every setting, as {@link #build()} does, and declares the parameters without
         * creating them (DL4J layer configurations register these names and shapes).
         */
        public ParameterDeclarations parameterDeclarations() { return validated().parameters(); }

        private Validated validated() {
            String who = "GroupNorm" + (name == null ? "" : " '" + name + "'");
            String t = who + ": ";
            checkArgument(inSize != null && inSize.length > 0, t + "inSize is required");
            for (long v : inSize) checkArgument(v > 0, t + "inSize (=%s) must contain only positive sizes", inSize);
            long[] size = inSize.clone();
            SizeLimits.checkElements(who, "the input (inSize " + Arrays.toString(size) + ")", SizeLimits.product(size));
            int channels = (int) (channelFirst ? size[0] : size[size.length - 1]); // fits: the element check bounds it
            checkArgument((numGroups == null) != (groupSize == null),
                    t + "give exactly one of numGroups (=%s) and groupSize (=%s)", numGroups, groupSize);
            int groups;
            if (groupSize != null) {
                checkArgument(groupSize > 0 && channels % groupSize == 0,
                        t + "groupSize (=%s) must be positive and divide the number of channels (=%s)", groupSize, channels);
                groups = channels / groupSize;
            } else {
                checkArgument(numGroups > 0 && channels % numGroups == 0,
                        t + "numGroups (=%s) must be positive and divide the number of channels (=%s)", numGroups, channels);
                groups = numGroups;
            }
            long[] featureShape = {channels};
            ParameterDeclarations declarations = new ParameterDeclarations(who, dataType);
            if (scaleInit != null) declarations.declare("scale", featureShape, scaleInit, false);
            if (biasInit != null) declarations.declare("bias", featureShape, biasInit, true);
            return new Validated(size, channels, groups, declarations);
        }
    }
}
