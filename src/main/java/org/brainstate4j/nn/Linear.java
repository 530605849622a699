package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.brainstate4j.graph.StaticShapes;
import org.brainstate4j.nn.init.Constant;
import org.brainstate4j.nn.init.Initializer;
import org.brainstate4j.nn.init.KaimingNormal;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BrainState's {@code Linear}: {@code y = x @ (W * mask) + b} over the last axis, weight
 * {@code (in, out)} initialized {@link KaimingNormal}, bias {@code (out,)} initialized to zeros
 * (present by default, unlike the convolutions'). {@code inSize} and {@code outSize} may carry
 * leading axes, which must agree; the input's last axes must equal {@code inSize}.
 */
public final class Linear extends Module implements ParameterizedLayer {
    private final long[] inSize;
    private final long[] outSize;
    private final DataType dataType;
    private final INDArray weightMask;
    private final Map<String, INDArray> parameters = new LinkedHashMap<>();

    private Linear(Builder b) {
        super(b.name);
        ParameterDeclarations declarations = b.parameterDeclarations();
        this.inSize = b.inSize.clone();
        this.outSize = b.outSize.clone();
        this.dataType = b.dataType;
        this.weightMask = b.weightMask != null ? b.weightMask.castTo(dataType).dup() : null;
        parameters.putAll(declarations.create(b.seed));
    }

    public long[] inSize() { return inSize.clone(); }
    public long[] outSize() { return outSize.clone(); }
    public DataType dataType() { return dataType; }
    public INDArray weight() { return parameters.get("weight"); }
    public Optional<INDArray> bias() { return Optional.ofNullable(parameters.get("bias")); }
    public Optional<INDArray> weightMask() { return Optional.ofNullable(weightMask); }

    /** The weight as the forward pass multiplies it: {@code W * mask} (a copy), for exports. */
    public INDArray foldedWeight() {
        if (weightMask == null) return weight().dup();
        SameDiff scratch = SameDiff.create();
        return scratch.constant(weight()).mul(scratch.constant(weightMask)).eval().dup();
    }

    @Override
    protected Map<String, INDArray> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    protected SDVariable forward(SameDiff sd, SDVariable x) {
        SDVariable w = parameter(sd, "weight");
        if (weightMask != null) w = w.mul(constant(sd, "weight_mask", weightMask));
        return multiply(sd, x, w, name -> parameter(sd, name));
    }

    /**
     * This layer's computation on parameter variables the caller owns (DL4J's parameter table, say),
     * keyed as {@link #parameters()}, with the same checks and ops as {@link #apply} but no name scope.
     */
    @Override
    public SDVariable emit(SameDiff sd, SDVariable x, Map<String, SDVariable> parameterVariables) {
        Function<String, SDVariable> given = Module.given(this, parameterVariables);
        SDVariable w = given.apply("weight");
        if (weightMask != null) w = w.mul(sd.constant(weightMask));
        return multiply(sd, x, w, given);
    }

    private SDVariable multiply(SameDiff sd, SDVariable x, SDVariable w, Function<String, SDVariable> parameter) {
        long[] shape = InputChecks.requireTrailing(this, x, inSize, dataType);
        long in = inSize[inSize.length - 1];
        long out = outSize[outSize.length - 1];
        SDVariable y;
        long[] outShape = shape.clone();
        outShape[outShape.length - 1] = out;
        if (in == 1) {
            // x @ W with one input feature is the broadcast product x * W; matmul_bp of DL4J 1.0.0-M2.1
            // throws ("mulRowVector: wrong arguments") for a 1x1 @ 1x1 product (canary: Dl4jM21CanaryTest).
            y = x.mul(w);
            if (shape.length == 1) y = sd.reshape(y, out);
        } else if (shape.length == 2) {
            y = x.mmul(w);
        } else {
            // dot over the last axis: flatten the leading axes, multiply, restore them.
            long[] flatOut = outShape.clone();
            y = sd.reshape(sd.reshape(x, -1, in).mmul(w), withUnknownBatch(flatOut));
        }
        if (parameters.containsKey("bias")) y = y.add(parameter.apply("bias"));
        StaticShapes.record(y, outShape);
        return y;
    }

    private static long[] withUnknownBatch(long[] shape) {
        long[] out = shape.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) {
                out[i] = -1;
                break;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name() + ": Linear(inSize=" + Arrays.toString(inSize) + ", outSize=" + Arrays.toString(outSize)
                + (parameters.containsKey("bias") ? "" : ", bias=false") + ")";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required: {@code inSize}, {@code outSize}. */
    public static final class Builder {
        private long[] inSize;
        private long[] outSize;
        private Initializer weightInit = new KaimingNormal();
        private Initializer biasInit = Constant.ZEROS;
        private INDArray weightMask;
        private DataType dataType = DataType.FLOAT;
        private Long seed;
        private String name;

        private Builder() {}

        public Builder inSize(long... inSize) { this.inSize = inSize; return this; }
        public Builder outSize(long... outSize) { this.outSize = outSize; return this; }
        /** Default {@link KaimingNormal}. */
        public Builder weightInit(Initializer weightInit) { this.weightInit = weightInit; return this; }
        public Builder weight(INDArray weight) { this.weightInit = ParameterDeclarations.given(who(), "weight", weight); return this; }
        /** Default zeros; {@code null} for no bias. */
        public Builder biasInit(Initializer biasInit) { this.biasInit = biasInit; return this; }
        public Builder bias(INDArray bias) { this.biasInit = ParameterDeclarations.given(who(), "bias", bias); return this; }
        public Builder weightMask(INDArray weightMask) { this.weightMask = weightMask; return this; }
        public Builder dataType(DataType dataType) { this.dataType = dataType; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder name(String name) { this.name = name; return this; }

        public Linear build() { return new Linear(this); }

        /**
         * Validates every setting, as {@link #build()} does, and declares the parameters without
         * creating them (DL4J layer configurations register these names and shapes).
         */
        public ParameterDeclarations parameterDeclarations() {
            String who = who();
            String t = who + ": ";
            checkArgument(inSize != null && inSize.length > 0, t + "inSize is required");
            checkArgument(outSize != null && outSize.length > 0, t + "outSize is required");
            for (long v : inSize) checkArgument(v > 0, t + "inSize (=%s) must contain only positive sizes", inSize);
            for (long v : outSize) checkArgument(v > 0, t + "outSize (=%s) must contain only positive sizes", outSize);
            SizeLimits.checkElements(who, "the input (inSize " + Arrays.toString(inSize) + ")", SizeLimits.product(inSize));
            SizeLimits.checkElements(who, "the output (outSize " + Arrays.toString(outSize) + ")", SizeLimits.product(outSize));
            long in = inSize[inSize.length - 1];
            long out = outSize[outSize.length - 1];
            SizeLimits.checkElements(who, "the weight [" + in + ", " + out + "]", SizeLimits.product(in, out));
            checkArgument(Arrays.equals(Arrays.copyOf(inSize, inSize.length - 1), Arrays.copyOf(outSize, outSize.length - 1)),
                    t + "the leading axes of inSize (=%s) and outSize (=%s) must be equal", inSize, outSize);
            long[] weightShape = {in, out};
            ParameterDeclarations declarations = new ParameterDeclarations(who, dataType).declare("weight", weightShape, weightInit, false);
            ParameterDeclarations.checkMask(who, weightMask, weightShape, "weight");
            if (biasInit != null) declarations.declare("bias", new long[] {out}, biasInit, true);
            return declarations;
        }

        private String who() {
            return "Linear" + (name == null ? "" : " '" + name + "'");
        }
    }
}
