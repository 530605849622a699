package org.brainstate4j.onnx;

import java.util.Arrays;

/**
 * An ONNX value standing for a SameDiff variable of logical shape {@code shape} (the batch axis
 * {@code -1}), stored with its axes permuted: ONNX axis {@code j} holds logical axis {@code perm[j]}.
 * Channels-last data is kept channels-first between convolutions this way, so the translator inserts a
 * {@code Transpose} only where an operation needs the logical order (reshape, the graph output).
 */
record Tensor(String name, long[] shape, int[] perm) {

    /** A value stored in logical order. */
    static Tensor logical(String name, long[] shape) {
        return new Tensor(name, shape, identity(shape.length));
    }

    int rank() {
        return shape.length;
    }

    boolean isLogical() {
        return Arrays.equals(perm, identity(perm.length));
    }

    /** The ONNX axis holding {@code logicalAxis}. */
    int onnxAxis(int logicalAxis) {
        for (int j = 0; j < perm.length; j++) {
            if (perm[j] == logicalAxis) return j;
        }
        throw new IllegalStateException("axis " + logicalAxis + " not in " + Arrays.toString(perm));
    }

    /** The shape as stored in ONNX. */
    long[] onnxShape() {
        long[] out = new long[shape.length];
        for (int j = 0; j < perm.length; j++) out[j] = shape[perm[j]];
        return out;
    }

    static int[] identity(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        return p;
    }

    /** {@code (batch, channel, *other axes in order)}: the layout of ONNX's convolution and pooling operators. */
    static int[] channelsFirst(int rank, int channelAxis) {
        int[] p = new int[rank];
        p[0] = 0;
        p[1] = channelAxis;
        int j = 2;
        for (int i = 1; i < rank; i++) {
            if (i != channelAxis) p[j++] = i;
        }
        return p;
    }
}
