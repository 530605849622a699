package org.brainstate4j.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BrainState's weight standardization as SameDiff ops, so gradients flow to the weight and gain.
 * Statistics are taken over every axis but the last (output channel):
 * <pre>
 *   fanIn = prod(w.shape[:-1]);  mean = mean(w);  var = mean((w - mean)^2)   (population variance)
 *   scale = gain * rsqrt(max(var * fanIn, eps))                              (eps is a floor)
 *   w_hat = (w - mean) * scale
 * </pre>
 * The variance is written with plain ops: {@code sd.variance(..., biasCorrected=false)} has a
 * wrong gradient in DL4J 1.0.0-M2.1 (it always uses N-1) (canary: {@code workarounds.Dl4jM21CanaryTest}, test sources; docs/workarounds.md).
 */
public final class WeightStandardization {
    private WeightStandardization() {}

    /** Standardized kernel of {@code weight} with the given static shape; {@code gain} may be null. */
    public static SDVariable apply(SameDiff sd, SDVariable weight, long[] weightShape, double eps, SDVariable gain) {
        int[] axes = new int[weightShape.length - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        SDVariable centered = weight.sub(weight.mean(true, axes));
        // var * fanIn is the sum of squared deviations: one reduction, no rescaling op
        SDVariable varianceTimesFanIn = centered.mul(centered).sum(true, axes); // x * x: a cheaper gradient than a power's
        SDVariable floored = sd.math().max(varianceTimesFanIn, sd.constant(Nd4j.scalar(weight.dataType(), eps)));
        SDVariable scale = sd.math().rsqrt(floored);
        if (gain != null) scale = scale.mul(gain);
        return Broadcasts.multiply(sd, centered, scale); // the per-channel scale spread first: see Broadcasts
    }
}
