package org.brainstate4j.nn;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer whose computation can be emitted on parameter variables that someone else owns (DL4J's
 * parameter table, say): the one entry point that the DL4J layer configurations call, so they run
 * exactly the SameDiff layer's ops. Implemented by {@link ConvLayer}, {@link GroupNorm} and {@link Linear}.
 */
public interface ParameterizedLayer {
    /** The layer's parameters by name: the keys {@link #emit} expects, with their initialized values. */
    Map<String, INDArray> parameters();

    /** The layer's computation on {@code parameterVariables}, keyed as {@link #parameters()}; {@code x} is batched. */
    SDVariable emit(SameDiff sd, SDVariable x, Map<String, SDVariable> parameterVariables);
}
