package org.brainstate4j.dl4j;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's per-pixel {@link CnnLossLayer} with a score that honours the layout. In 1.0.0-M2.1
 * {@code org.deeplearning4j.nn.layers.convolution.CnnLossLayer.computeScore} flattens its input and
 * labels with {@code ConvolutionUtils.reshape4dTo2d(array, workspaceMgr, type)}, the overload that
 * assumes NCHW, while its activations, gradients and per-example scores use the configured format.
 * On NHWC data the loss it reports ({@code score()}, {@code score(DataSet)}, listeners, DL4J's
 * early-stopping {@code DataSetLossCalculator}) is then taken across the height axis instead of the
 * channels: a wrong number, although training itself is right. This layer is that class with only
 * {@code computeScore} corrected (the format-aware overloads DL4J uses everywhere else), so the
 * score is the loss the gradients descend: the loss function summed over pixels (each pixel one
 * row of its channels), divided by the minibatch size, plus the regularization term.
 */
public class Dl4jCnnLossLayer extends CnnLossLayer {

    /** For DL4J's JSON. */
    public Dl4jCnnLossLayer() {}

    /** The per-pixel loss {@code loss} after {@code activation} (over the channels), on {@code format} data. */
    public static Dl4jCnnLossLayer of(LossFunctions.LossFunction loss, Activation activation, CNN2DFormat format, String name) {
        checkArgument(loss != null, "Dl4jCnnLossLayer: loss (=%s) must be given", loss);
        checkArgument(activation != null, "Dl4jCnnLossLayer: activation (=%s) must be given", activation);
        checkArgument(format != null, "Dl4jCnnLossLayer: format (=%s) must be given", format);
        Dl4jCnnLossLayer layer = new Dl4jCnnLossLayer();
        layer.setLossFn(loss.getILossFunction());
        layer.setActivationFn(activation.getActivationFunction());
        layer.setFormat(format);
        layer.setLayerName(name);
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        // as CnnLossLayer.instantiate, with the corrected implementation
        Impl layer = new Impl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        ParamInitializer initializer = initializer();
        Map<String, INDArray> params = initializer.init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    /** DL4J's CnnLossLayer implementation with {@code computeScore} reading the configured format. */
    public static final class Impl extends org.deeplearning4j.nn.layers.convolution.CnnLossLayer {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
            CNN2DFormat format = layerConf().getFormat();
            INDArray input2d = ConvolutionUtils.reshape4dTo2d(input, format, workspaceMgr, ArrayType.FF_WORKING_MEM);
            INDArray labels2d = ConvolutionUtils.reshape4dTo2d(labels, format, workspaceMgr, ArrayType.FF_WORKING_MEM);
            INDArray mask2d = ConvolutionUtils.reshapeMaskIfRequired(maskArray, input, format, workspaceMgr, ArrayType.FF_WORKING_MEM);
            double value = layerConf().getLossFn().computeScore(labels2d, input2d.dup(), layerConf().getActivationFn(), mask2d, false);
            value /= getInputMiniBatchSize();
            value += fullNetRegTerm;
            this.score = value;
            return value;
        }
    }
}
