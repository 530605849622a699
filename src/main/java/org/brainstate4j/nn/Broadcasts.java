package org.brainstate4j.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Broadcasting without ND4J's slow broadcast gradients. In 1.0.0-M2.1 the backward pass of a
 * broadcasting multiply ({@code multiply_bp} of {@code (N, S, C) * (N, 1, C)}) tiles the smaller
 * operand element by element: about 100 ms for 2M floats on 2 cores, against 5 ms for a same-shape
 * multiply's backward and 3 ms for a broadcasting add's (BENCHMARKS.md, "Weight-standardized
 * networks"). So a per-sample or per-channel factor is first spread to the full shape by an add to
 * zeros, whose gradient is a plain reduction, and then multiplied same-shape.
 */
final class Broadcasts {
    private Broadcasts() {}

    /** {@code factor} broadcast to the shape of {@code like}, as an add to {@code zerosLike(like)}. */
    static SDVariable spread(SameDiff sd, SDVariable factor, SDVariable like) {
        return sd.zerosLike(like).add(factor);
    }

    /** {@code x * factor}, with {@code factor} broadcasting to {@code x}'s shape, as a same-shape multiply. */
    static SDVariable multiply(SameDiff sd, SDVariable x, SDVariable factor) {
        return x.mul(spread(sd, factor, x));
    }
}
