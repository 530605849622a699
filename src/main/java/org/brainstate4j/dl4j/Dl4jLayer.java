package org.brainstate4j.dl4j;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Map;
import org.brainstate4j.nn.ParameterDeclarations;
import org.brainstate4j.nn.ParameterizedLayer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every brainstate4j layer configuration for DL4J networks shares. The per-sample input shape
 * comes from DL4J's {@link InputType} ({@link SampleLayout}); everything else is the SameDiff layer's
 * own code: the configuration fills in that layer's builder, so its validation (and messages), its
 * parameter declarations, its initializers and its emitted graph are the ones the SameDiff front
 * uses. Parameters are registered under the layer's own names ({@code weight}, {@code bias}, ...).
 *
 * <p>A bean for DL4J's JSON (no-arg constructor, getters and setters) and Java-serialisable (Spark
 * broadcasts configurations): only plain fields, no arrays of ND4J.
 */
abstract class Dl4jLayer extends SameDiffLayer {
    private long[] inSize;
    private boolean channelFirst;
    private Long seed;

    protected Dl4jLayer() {}

    /** The SameDiff layer's name in messages ({@code Conv2d}, {@code GroupNorm}, ...). */
    abstract String layerType();

    /** The validated parameter declarations of the layer for the current {@code inSize}. */
    abstract ParameterDeclarations declarations();

    /** The SameDiff layer for the current {@code inSize}, its parameters initialized from {@code seed}. */
    abstract ParameterizedLayer coreLayer(DataType dataType, long seed);


    /** The spatial axes the input must have (0: feed-forward), or -1 when any input type is taken. */
    abstract int spatialDims();

    /** The per-sample input shape, set from the network's InputType; fails clearly before that. */
    final long[] requiredInSize() {
        checkArgument(inSize != null,
                "%s: the input size is unknown; give the network an InputType (setInputType) or set inSize", layerType());
        return inSize.clone();
    }

    /** The layout an InputType gives this layer. */
    SampleLayout layoutOf(InputType type) {
        return spatialDims() < 0 ? SampleLayout.of(layerType(), type) : SampleLayout.of(layerType(), type, spatialDims());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inSize != null && !override) return;
        SampleLayout layout = layoutOf(inputType);
        this.inSize = layout.inSize();
        this.channelFirst = layout.channelFirst();
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        ParameterDeclarations declarations = declarations();
        declarations.shapes().forEach((name, shape) -> {
            if (declarations.isBias(name)) params.addBiasParam(name, shape);
            else params.addWeightParam(name, shape);
        });
    }

    /**
     * The SameDiff layer's initial values, drawn from {@link #getSeed()}, or when no seed is set from
     * ND4J's random generator, which DL4J seeds from the network configuration's seed.
     */
    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        DataType dataType = params.values().iterator().next().dataType();
        long drawn = seed != null ? seed : Nd4j.getRandom().nextLong();
        coreLayer(dataType, drawn).parameters().forEach((name, value) -> params.get(name).assign(value));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable, SDVariable mask) {
        // The values are DL4J's; the layer built here only supplies geometry and ops.
        return coreLayer(layerInput.dataType(), 0L).emit(sd, layerInput, paramTable);
    }

    // ---- bean properties (DL4J's JSON) --------------------------------------------------------

    /** Per-sample input shape in the input's layout; set from the InputType by {@link #setNIn}. */
    public long[] getInSize() { return inSize == null ? null : inSize.clone(); }
    public void setInSize(long[] inSize) { this.inSize = inSize == null ? null : inSize.clone(); }
    /** True for DL4J's channels-first layouts (NCW, NCHW, NCDHW). */
    public boolean isChannelFirst() { return channelFirst; }
    public void setChannelFirst(boolean channelFirst) { this.channelFirst = channelFirst; }
    /** Seed of the initializers; null: drawn from ND4J's generator when the network is initialized. */
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }
}
