package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.brainstate4j.graph.StaticShapes;
import org.brainstate4j.nn.init.Initializer;
import org.brainstate4j.nn.init.Seeds;
import org.brainstate4j.nn.init.XavierNormal;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * What every convolution layer shares: the validated geometry ({@link ConvSpec}), the parameters
 * ({@code weight}, optional {@code bias}), the optional weight mask, and the forward pass
 * {@code kernel -> mask -> convolve -> bias}. The families differ only in how the kernel is made
 * ({@link ScaledWSConv} standardizes it) and in direction ({@link ConvTranspose}).
 */
public abstract sealed class ConvLayer extends Module implements ParameterizedLayer permits Conv, ScaledWSConv, ConvTranspose {
    private final ConvSpec spec;
    private final DataType dataType;
    private final INDArray weightMask;
    private final Map<String, INDArray> parameters = new LinkedHashMap<>();

    ConvLayer(Builder<?> b) {
        super(b.name);
        Declared declared = b.declared();
        this.spec = declared.spec();
        this.dataType = b.dataType;
        this.weightMask = b.weightMask != null ? b.weightMask.castTo(dataType).dup() : null;
        parameters.putAll(declared.parameters().create(b.seed));
    }

    // ---- introspection ----------------------------------------------------------------------

    /** The validated geometry: per-axis sizes, resolved padding, output-size rules. */
    public final ConvSpec spec() { return spec; }
    public final long[] inSize() { return spec.inSize(); }
    public final long[] outSize() { return spec.outSize(); }
    public final long[] kernelShape() { return spec.kernelShape(); }
    public final int inChannels() { return spec.inChannels(); }
    public final int outChannels() { return spec.outChannels(); }
    public final DataType dataType() { return dataType; }
    public final INDArray weight() { return parameters.get("weight"); }
    public final Optional<INDArray> bias() { return Optional.ofNullable(parameters.get("bias")); }
    public final Optional<INDArray> weightMask() { return Optional.ofNullable(weightMask); }

    @Override
    public String typeName() { return spec.layerType(); }

    @Override
    protected final Map<String, INDArray> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    // ---- graph ------------------------------------------------------------------------------

    @Override
    protected final SDVariable forward(SameDiff sd, SDVariable x) {
        long[] inputShape = InputChecks.requireShape(this, x, spec.inSize(), dataType);
        boolean unbatched = inputShape.length == spec.spatialDims() + 1;
        // reshape rather than expandDims/squeeze: see ConvEmitter (squeeze's gradient loses unit axes)
        SDVariable batched = unbatched ? sd.reshape(x, prepend(1, spec.inSize())) : x;
        SDVariable kernel;
        if (isInference(sd)) {
            kernel = constant(sd, "kernel", foldedKernel());
        } else {
            kernel = kernel(sd);
            if (weightMask != null) kernel = kernel.mul(constant(sd, "weight_mask", weightMask));
        }
        SDVariable bias = parameters.containsKey("bias") ? parameter(sd, "bias") : null;
        SDVariable y = ConvEmitter.emit(sd, spec, batched, kernel, bias);
        if (unbatched) y = sd.reshape(y, spec.outSize());
        StaticShapes.record(y, outputShape(inputShape, unbatched));
        return y;
    }

    /**
     * This layer's computation on parameter variables the caller owns (DL4J's parameter table, say),
     * keyed as {@link #parameters()}: kernel transform, mask, convolution, bias, with the same
     * checks and ops as {@link #apply}, but no name scope and no binding of this layer's own values.
     * {@code x} must be batched, with per-sample shape {@link #inSize()}.
     */
    @Override
    public final SDVariable emit(SameDiff sd, SDVariable x, Map<String, SDVariable> parameterVariables) {
        long[] inputShape = InputChecks.requireBatched(this, x, spec.inSize(), dataType);
        Function<String, SDVariable> given = Module.given(this, parameterVariables);
        SDVariable kernel = kernel(sd, given);
        if (weightMask != null) kernel = kernel.mul(sd.constant(weightMask));
        SDVariable bias = parameters.containsKey("bias") ? given.apply("bias") : null;
        SDVariable y = ConvEmitter.emit(sd, spec, x, kernel, bias);
        StaticShapes.record(y, outputShape(inputShape, false));
        return y;
    }

    private static long[] prepend(long first, long[] rest) {
        long[] out = new long[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private long[] outputShape(long[] inputShape, boolean unbatched) {
        long[] sample = spec.outSize();
        if (unbatched) return sample;
        long[] out = new long[sample.length + 1];
        out[0] = inputShape[0];
        System.arraycopy(sample, 0, out, 1, sample.length);
        return out;
    }

    /** The kernel as convolved, before the mask, on this layer's own parameters in {@code sd}. */
    final SDVariable kernel(SameDiff sd) {
        return kernel(sd, name -> parameter(sd, name));
    }

    /** The kernel as convolved, before the mask: the raw weight, or a transform of it. */
    SDVariable kernel(SameDiff sd, Function<String, SDVariable> parameter) {
        return parameter.apply("weight");
    }

    /**
     * The kernel exactly as the training graph convolves it (transform, then mask), computed now by
     * running the same graph ops once, for inference graphs.
     */
    public final INDArray foldedKernel() {
        SameDiff scratch = SameDiff.create();
        SDVariable k = kernel(scratch);
        if (weightMask != null) k = k.mul(scratch.constant(weightMask));
        return k.eval().dup();
    }

    @Override
    public String toString() {
        String s = spec.toString();
        if (parameters.containsKey("bias")) s = s.substring(0, s.length() - 1) + ", bias=true)";
        return name() + ": " + s;
    }

    // ---- builders ---------------------------------------------------------------------------

    record Declared(ConvSpec spec, ParameterDeclarations parameters) {}

    /** Settings every convolution layer has. Required: {@code inSize}, {@code outChannels}, {@code kernelSize}. */
    public abstract static class Builder<B extends Builder<B>> {
        private final Function<? super B, ? extends ConvLayer> constructor;
        final ConvSpec.Builder spec;
        Initializer weightInit = new XavierNormal();
        Initializer biasInit;
        INDArray weightMask;
        DataType dataType = DataType.FLOAT;
        Long seed;
        String name;

        /**
         * The plumbing every family shares: {@code constructor} is the rank class's private
         * constructor, which {@link #build()} calls with this builder.
         */
        Builder(String layerType, int spatialDims, boolean transposed, Function<? super B, ? extends ConvLayer> constructor) {
            this.spec = ConvSpec.builder(layerType, spatialDims, transposed);
            this.constructor = constructor;
        }

        @SuppressWarnings("unchecked") // B is this builder's own class (the self type of every subclass)
        final B self() { return (B) this; }

        /** How messages name the layer being built: its type, and its name once one is set. */
        final String who() {
            return spec.layerType() + (name == null ? "" : " '" + name + "'");
        }

        /** The layer, with every setting validated and its parameters initialized. */
        public ConvLayer build() { return constructor.apply(self()); }

        /**
         * Validates every setting, as {@link #build()} does, and declares the parameters without
         * creating them (DL4J layer configurations register these names and shapes).
         */
        public final ParameterDeclarations parameterDeclarations() {
            return declared().parameters();
        }

        /** Validates every setting, as {@link #build()} does, and returns the geometry (output size, padding). */
        public final ConvSpec geometry() {
            return declared().spec();
        }

        /** The validated geometry and the parameters it implies, in the order build() checks them. */
        final Declared declared() {
            spec.name = name;
            ConvSpec validated = spec.build();
            ParameterDeclarations declarations = new ParameterDeclarations(validated.who(), dataType);
            long[] kernelShape = validated.kernelShape();
            ParameterDeclarations.checkMask(validated.who(), weightMask, kernelShape, "kernel");
            declarations.declare("weight", kernelShape, weightInit, false);
            if (biasInit != null) declarations.declare("bias", validated.biasShape(), biasInit, true);
            declareMore(declarations, validated);
            return new Declared(validated, declarations);
        }

        /** Parameters a family adds after weight and bias (the gain of {@link ScaledWSConv}). */
        void declareMore(ParameterDeclarations declarations, ConvSpec validated) {}

        /** Per-sample input shape: {@code (*spatial, C)}, or {@code (C, *spatial)} with {@link #channelFirst}. */
        public B inSize(long... inSize) { spec.inSize = inSize; return self(); }
        public B outChannels(int outChannels) { spec.outChannels = outChannels; return self(); }
        /** A scalar (repeated on every axis) or one value per spatial axis. */
        public B kernelSize(int... kernelSize) { spec.kernelSize = kernelSize; return self(); }
        /** A scalar or one value per spatial axis; default 1. */
        public B stride(int... stride) { spec.stride = stride; return self(); }
        /** Default {@link Padding#SAME}. */
        public B padding(Padding padding) { spec.padding = padding; return self(); }
        /** {@code "SAME"} or {@code "VALID"}. */
        public B padding(String padding) {
            try {
                spec.padding = Padding.of(padding);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(who() + ": " + e.getMessage().replaceFirst("^Padding\\.of: ", ""), e);
            }
            return self();
        }
        /** {@code (p, p)} on every spatial axis. */
        public B padding(int padding) { spec.padding = Padding.of(padding); return self(); }
        /** Kernel dilation, scalar or per axis; default 1. */
        public B rhsDilation(int... rhsDilation) { spec.rhsDilation = rhsDilation; return self(); }
        /** Grouped convolution; {@code groups == inChannels} is depthwise. Default 1. */
        public B groups(int groups) { spec.groups = groups; return self(); }
        /** Input layout {@code (C, *spatial)}; the kernel layout does not change. Default false. */
        public B channelFirst(boolean channelFirst) { spec.channelFirst = channelFirst; return self(); }
        /** Kernel initializer; default {@link XavierNormal}. */
        public B weightInit(Initializer weightInit) { this.weightInit = weightInit; return self(); }
        /** The kernel's initial value (copied). */
        public B weight(INDArray weight) { this.weightInit = ParameterDeclarations.given(who(), "weight", weight); return self(); }
        /** Adds a bias made by {@code biasInit} (default: no bias, as in BrainState). */
        public B biasInit(Initializer biasInit) { this.biasInit = biasInit; return self(); }
        /** Adds a bias with this initial value (copied; shape {@link ConvSpec#biasShape()}). */
        public B bias(INDArray bias) { this.biasInit = ParameterDeclarations.given(who(), "bias", bias); return self(); }
        /** A fixed mask, broadcastable to the kernel shape, multiplied into the kernel on every pass; null for none. */
        public B weightMask(INDArray weightMask) { this.weightMask = weightMask; return self(); }
        /** FLOAT (default) or DOUBLE. */
        public B dataType(DataType dataType) { this.dataType = dataType; return self(); }
        /** Seed for the initializers; default: the next generator of {@link Seeds}. */
        public B seed(long seed) { this.seed = seed; return self(); }
        /** Name scope of the layer's subgraph; default {@code <type>_<n>}. */
        public B name(String name) { this.name = name; return self(); }
    }

    /** Adds input dilation, which forward convolutions have and transposed ones do not. */
    public abstract static class ForwardBuilder<B extends ForwardBuilder<B>> extends Builder<B> {
        ForwardBuilder(String layerType, int spatialDims, Function<? super B, ? extends ConvLayer> constructor) {
            super(layerType, spatialDims, false, constructor);
        }

        /** Zeros inserted between input elements (scalar or per axis); needs explicit padding. Default 1. */
        public B lhsDilation(int... lhsDilation) { spec.lhsDilation = lhsDilation; return self(); }
    }
}
