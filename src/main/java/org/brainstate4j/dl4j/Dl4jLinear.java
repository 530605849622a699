package org.brainstate4j.dl4j;

import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.ParameterDeclarations;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * BrainState's {@code Linear} ({@link Linear}) as a DL4J layer configuration on feed-forward input;
 * convolutional input is flattened first by DL4J's own preprocessors (in the InputType's layout).
 */
public final class Dl4jLinear extends Dl4jLayer {
    private Long outFeatures;
    private boolean noBias;

    public Dl4jLinear() {}

    public static Builder builder() { return new Builder(); }

    @Override
    String layerType() { return "Linear"; }

    @Override
    int spatialDims() { return 0; }

    private Linear.Builder coreBuilder(long[] inSize, DataType dataType, long seed) {
        Linear.Builder b = Linear.builder().inSize(inSize).dataType(dataType).seed(seed);
        if (outFeatures != null) b.outSize(outFeatures);
        if (noBias) b.biasInit(null);
        return b;
    }

    @Override
    ParameterDeclarations declarations() {
        return coreBuilder(requiredInSize(), DataType.FLOAT, 0L).parameterDeclarations();
    }

    @Override
    Linear coreLayer(DataType dataType, long seed) {
        return coreBuilder(requiredInSize(), dataType, seed).build();
    }


    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        SampleLayout layout = layoutOf(inputType);
        coreBuilder(layout.inSize(), DataType.FLOAT, 0L).parameterDeclarations(); // validates
        return InputType.feedForward(outFeatures);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutional c) {
            return new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(), c.getChannels(),
                    c.getFormat() == null ? CNN2DFormat.NCHW : c.getFormat());
        }
        if (inputType instanceof InputType.InputTypeConvolutional3D c) {
            return new Cnn3DToFeedForwardPreProcessor(c.getDepth(), c.getHeight(), c.getWidth(), c.getChannels(),
                    c.getDataFormat() != Convolution3D.DataFormat.NDHWC);
        }
        return null;
    }

    // ---- bean properties (DL4J's JSON) --------------------------------------------------------

    public Long getOutFeatures() { return outFeatures; }
    public void setOutFeatures(Long outFeatures) { this.outFeatures = outFeatures; }
    /** True: no bias (the SameDiff builder's {@code biasInit(null)}). */
    public boolean isNoBias() { return noBias; }
    public void setNoBias(boolean noBias) { this.noBias = noBias; }

    /** Fluent settings; {@link #build()} returns the configuration. */
    public static final class Builder {
        private final Dl4jLinear layer = new Dl4jLinear();

        private Builder() {}

        public Builder outFeatures(long outFeatures) { layer.setOutFeatures(outFeatures); return this; }
        /** False: no bias (default: a bias initialized to zeros, as the SameDiff builder). */
        public Builder bias(boolean bias) { layer.setNoBias(!bias); return this; }
        public Builder seed(long seed) { layer.setSeed(seed); return this; }
        public Builder name(String name) { layer.setLayerName(name); return this; }

        public Dl4jLinear build() { return layer; }
    }
}
