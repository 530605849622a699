package org.brainstate4j.dl4j;

import static org.brainstate4j.Checks.checkArgument;

import java.io.Serializable;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * How a DL4J {@link InputType} maps to a brainstate4j layer's per-sample shape ({@code inSize}) and
 * back: DL4J's channels-first layouts (NCW, NCHW, NCDHW) are {@code channelFirst}, the channels-last
 * ones (NWC, NHWC, NDHWC) are not; a feed-forward input is {@code (size,)}. The one place where the
 * two conventions meet.
 */
record SampleLayout(long[] inSize, boolean channelFirst, int spatialDims) implements Serializable {

    /** The layout of {@code type}, which must have {@code spatialDims} spatial axes (0 for feed-forward). */
    static SampleLayout of(String who, InputType type, int spatialDims) {
        checkArgument(type != null, "%s: the input type must not be null", who);
        SampleLayout layout = of(who, type);
        checkArgument(layout.spatialDims == spatialDims,
                "%s: expects %s input (%s), got InputType %s", who, kindOf(spatialDims), spatialDims + " spatial axes", type);
        return layout;
    }

    /** The layout of {@code type}, whatever its rank. */
    static SampleLayout of(String who, InputType type) {
        checkArgument(type != null, "%s: the input type must not be null", who);
        if (type instanceof InputType.InputTypeFeedForward ff) {
            return new SampleLayout(new long[] {ff.getSize()}, false, 0);
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            checkArgument(r.getTimeSeriesLength() > 0,
                    "%s: the recurrent InputType %s has no known time-series length; give InputType.recurrent(size, length)",
                    who, type);
            boolean first = r.getFormat() != RNNFormat.NWC;
            long c = r.getSize();
            long t = r.getTimeSeriesLength();
            return new SampleLayout(first ? new long[] {c, t} : new long[] {t, c}, first, 1);
        }
        if (type instanceof InputType.InputTypeConvolutional cnn) {
            boolean first = cnn.getFormat() != CNN2DFormat.NHWC;
            long c = cnn.getChannels();
            long h = cnn.getHeight();
            long w = cnn.getWidth();
            return new SampleLayout(first ? new long[] {c, h, w} : new long[] {h, w, c}, first, 2);
        }
        if (type instanceof InputType.InputTypeConvolutional3D cnn) {
            boolean first = cnn.getDataFormat() != Convolution3D.DataFormat.NDHWC;
            long c = cnn.getChannels();
            long d = cnn.getDepth();
            long h = cnn.getHeight();
            long w = cnn.getWidth();
            return new SampleLayout(first ? new long[] {c, d, h, w} : new long[] {d, h, w, c}, first, 3);
        }
        throw new IllegalArgumentException(who + ": InputType " + type
                + " is not supported; give a feed-forward, recurrent, convolutional or convolutional3D InputType");
    }

    /** The InputType of per-sample shape {@code outSize} in this layout. */
    InputType typeOf(long[] outSize) {
        int n = spatialDims;
        long channels = channelFirst ? outSize[0] : outSize[outSize.length - 1];
        long[] spatial = new long[n];
        for (int i = 0; i < n; i++) spatial[i] = outSize[channelFirst ? i + 1 : i];
        return switch (n) {
            case 0 -> InputType.feedForward(channels);
            case 1 -> InputType.recurrent(channels, spatial[0], channelFirst ? RNNFormat.NCW : RNNFormat.NWC);
            case 2 -> InputType.convolutional(spatial[0], spatial[1], channels, channelFirst ? CNN2DFormat.NCHW : CNN2DFormat.NHWC);
            default -> InputType.convolutional3D(channelFirst ? Convolution3D.DataFormat.NCDHW : Convolution3D.DataFormat.NDHWC,
                    spatial[0], spatial[1], spatial[2], channels);
        };
    }

    private static String kindOf(int spatialDims) {
        return switch (spatialDims) {
            case 0 -> "a feed-forward";
            case 1 -> "a recurrent (1-D)";
            case 2 -> "a convolutional (2-D)";
            default -> "a convolutional3D";
        };
    }
}
