package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.Arrays;

/**
 * The resolved geometry of one convolution layer, for every rank and both directions: per-axis
 * kernel, stride and dilations, the {@code (lo, hi)} padding actually applied, and the output size.
 * Every size and padding rule of BrainState lives here and only here.
 *
 * <p>Notation per spatial axis: {@code k} kernel size, {@code s} stride, {@code d} kernel dilation
 * ({@code rhsDilation}), {@code ek = (k - 1) * d + 1} the effective kernel. A forward convolution
 * pads the (input-dilated) input by {@code (lo, hi)} and slides the kernel with stride {@code s}:
 * {@code out = floor(((in - 1) * lhs + 1 + lo + hi - ek) / s) + 1}. A transposed convolution is the
 * same with the stride moved into the input dilation ({@code lhs = s}) and a window stride of 1.
 */
public final class ConvSpec {
    private final String layerType;
    private final String who;
    private final boolean transposed;
    private final int spatialDims;
    private final long[] inSize;
    private final boolean channelFirst;
    private final int inChannels;
    private final int outChannels;
    private final int groups;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] lhsDilation;
    private final int[] rhsDilation;
    private final Padding padding;
    private final int[][] pads;
    private final long[] outSpatial;

    private ConvSpec(Builder b) {
        this.layerType = b.layerType;
        this.transposed = b.transposed;
        int n = this.spatialDims = b.spatialDims;
        String who = this.who = b.name == null ? layerType : layerType + " '" + b.name + "'";
        String t = who + ": ";

        checkArgument(b.inSize != null, t + "inSize is required");
        checkArgument(b.inSize.length == n + 1,
                t + "inSize (=%s) must have %s entries (%s spatial dimension%s plus the channel dimension), "
                        + "but has length %s",
                b.inSize, n + 1, n, n == 1 ? "" : "s", b.inSize.length);
        for (long v : b.inSize) {
            checkArgument(v > 0, t + "inSize (=%s) must contain only positive sizes", b.inSize);
        }
        this.inSize = b.inSize.clone();
        SizeLimits.checkElements(who, "the input (inSize " + Arrays.toString(inSize) + ")", SizeLimits.product(inSize));
        this.channelFirst = b.channelFirst;
        this.inChannels = (int) (channelFirst ? inSize[0] : inSize[n]); // fits: the element check bounds it

        checkArgument(b.outChannels != null, t + "outChannels is required");
        checkArgument(b.outChannels > 0, t + "outChannels (=%s) must be positive", b.outChannels);
        this.outChannels = b.outChannels;

        checkArgument(b.kernelSize != null, t + "kernelSize is required");
        this.kernelSize = perAxis(t, "kernelSize", b.kernelSize, n);
        this.stride = perAxis(t, "stride", b.stride, n);
        this.lhsDilation = perAxis(t, "lhsDilation", b.lhsDilation, n);
        this.rhsDilation = perAxis(t, "rhsDilation", b.rhsDilation, n);

        checkArgument(b.groups > 0, t + "groups (=%s) must be positive", b.groups);
        this.groups = b.groups;
        // BrainState checks out_channels before in_channels.
        checkArgument(outChannels % groups == 0,
                t + "outChannels (=%s) must be divisible by groups (=%s)", outChannels, groups);
        checkArgument(inChannels % groups == 0,
                t + "inChannels (=%s, from inSize %s) must be divisible by groups (=%s)",
                inChannels, inSize, groups);

        checkArgument(b.padding != null, t + "padding must not be null");
        this.padding = b.padding;
        boolean inputDilated = Arrays.stream(lhsDilation).anyMatch(v -> v > 1);
        checkArgument(!inputDilated || padding instanceof Padding.Explicit,
                t + "lhsDilation (=%s) needs explicit padding; padding %s is only defined without input dilation",
                lhsDilation, padding);
        int[][] explicit;
        try {
            explicit = padding instanceof Padding.Explicit e ? e.resolve(n) : null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(t + e.getMessage(), e);
        }

        this.pads = new int[n][];
        this.outSpatial = new long[n];
        long[] padded = new long[n];
        long[] effective = new long[n];
        for (int axis = 0; axis < n; axis++) {
            long in = spatialIn(axis);
            int s = stride[axis];
            long ek = (kernelSize[axis] - 1L) * rhsDilation[axis] + 1;
            SizeLimits.checkExtent(who, "the effective kernel along spatial axis " + axis
                    + " ((kernelSize - 1) * rhsDilation + 1)", ek);
            effective[axis] = ek;
            long lhs = transposed ? s : lhsDilation[axis];
            long windowStride = transposed ? 1 : s;
            long dilated = (in - 1) * lhs + 1;
            // The emitter spells input dilation out as in * lhs elements; a transposed convolution's
            // deconvolution makes (in - 1) * s + ek before it is cropped.
            SizeLimits.checkExtent(who, "the " + (transposed ? "uncropped output" : "dilated input")
                    + " along spatial axis " + axis, transposed ? (in - 1) * lhs + ek : in * lhs);
            pads[axis] = explicit != null ? explicit[axis]
                    : transposed ? transposePadding(who, axis, ek, s, padding)
                    : padding instanceof Padding.Valid ? new int[] {0, 0} : samePadding(who, axis, in, ek, s);
            for (int side = 0; side < 2; side++) {
                checkArgument(-(long) pads[axis][side] < dilated,
                        t + "padding %s along spatial axis %s would crop %s elements from the %s side of a%s input of %s; "
                                + "a negative padding may crop fewer elements than the input has",
                        Arrays.toString(pads[axis]), axis, -(long) pads[axis][side], side == 0 ? "low" : "high",
                        transposed ? " stride-dilated" : inputDilated ? " dilated" : "n", dilated);
            }
            padded[axis] = dilated + pads[axis][0] + pads[axis][1];
            SizeLimits.checkExtent(who, "the padded input along spatial axis " + axis, padded[axis]);
            long span = padded[axis] - ek;
            outSpatial[axis] = span < 0 ? 0 : span / windowStride + 1;
            checkArgument(outSpatial[axis] > 0,
                    t + "the output would be empty along spatial axis %s: input size %s, effective kernel %s "
                            + "(kernelSize %s, rhsDilation %s), stride %s, padding %s; "
                            + "the padded input must be at least as large as the effective kernel",
                    axis, in, ek, kernelSize[axis], rhsDilation[axis], s, Arrays.toString(pads[axis]));
        }
        checkTensorSizes(who, padded, effective);
    }

    /**
     * Every tensor the layer holds or makes per sample stays within {@link SizeLimits}: parameters,
     * the (dilated, padded) input, the dilated kernel, the convolution's work buffer and the output.
     */
    private void checkTensorSizes(String who, long[] padded, long[] effective) {
        int n = spatialDims;
        long taps = 1;
        long effectiveTaps = 1;
        long inPositions = 1;
        long stuffedPositions = 1;
        long paddedPositions = 1;
        long outPositions = 1;
        long uncroppedPositions = 1;
        for (int axis = 0; axis < n; axis++) {
            long in = spatialIn(axis);
            taps = SizeLimits.product(taps, kernelSize[axis]);
            effectiveTaps = SizeLimits.product(effectiveTaps, effective[axis]);
            inPositions = SizeLimits.product(inPositions, in);
            stuffedPositions = SizeLimits.product(stuffedPositions, in, lhsDilation[axis]);
            paddedPositions = SizeLimits.product(paddedPositions, padded[axis]);
            outPositions = SizeLimits.product(outPositions, outSpatial[axis]);
            uncroppedPositions = SizeLimits.product(uncroppedPositions, (in - 1) * stride[axis] + effective[axis]);
        }
        long perGroupIn = inChannels / groups;
        SizeLimits.checkElements(who, "the kernel " + Arrays.toString(kernelShape()) + " (weight)",
                SizeLimits.product(taps, perGroupIn, outChannels));
        if (effectiveTaps != taps) {
            SizeLimits.checkElements(who, "the dilated kernel (effective kernel " + Arrays.toString(effective) + ")",
                    SizeLimits.product(effectiveTaps, perGroupIn, outChannels));
        }
        if (transposed) {
            SizeLimits.checkElements(who, "the uncropped output of the deconvolution",
                    SizeLimits.product(uncroppedPositions, outChannels));
            SizeLimits.checkElements(who, "the deconvolution's work buffer (input positions x kernel taps x outChannels)",
                    SizeLimits.product(inPositions, taps, outChannels));
        } else {
            SizeLimits.checkElements(who, "the input-dilated input", SizeLimits.product(stuffedPositions, inChannels));
            SizeLimits.checkElements(who, "the padded input", SizeLimits.product(paddedPositions, inChannels));
            SizeLimits.checkElements(who, "the convolution's work buffer (output positions x kernel taps x inChannels)",
                    SizeLimits.product(outPositions, taps, inChannels));
        }
        SizeLimits.checkElements(who, "the output " + Arrays.toString(outSize()), SizeLimits.product(outPositions, outChannels));
    }

    /** BrainState's {@code replicate}: a scalar or length-1 sequence is repeated, length n is kept. */
    static int[] perAxis(String prefix, String argument, int[] values, int n) {
        checkArgument(values != null && (values.length == 1 || values.length == n),
                prefix + "%s (=%s) must be a scalar or a sequence of length 1 or %s", argument, values, n);
        int[] out = values.length == 1 ? filled(n, values[0]) : values.clone();
        for (int v : out) {
            checkArgument(v > 0, prefix + "%s (=%s) must contain only positive values", argument, values);
        }
        return out;
    }

    private static int[] filled(int n, int value) {
        int[] out = new int[n];
        Arrays.fill(out, value);
        return out;
    }

    /** Forward SAME: {@code out = ceil(in / s)}, total padding split with the extra pixel high. */
    static int[] samePadding(long in, int ek, int s) {
        return samePadding("ConvSpec", 0, in, ek, s);
    }

    private static int[] samePadding(String who, int axis, long in, long ek, int s) {
        long out = (in + s - 1) / s;
        long total = Math.max((out - 1) * s + ek - in, 0);
        SizeLimits.checkExtent(who, "the SAME padding along spatial axis " + axis, total);
        return new int[] {(int) (total / 2), (int) (total - total / 2)};
    }

    /** Transposed SAME / VALID padding of the stride-dilated input (BrainState's {@code _conv_transpose_padding}). */
    private static int[] transposePadding(String who, int axis, long ek, int s, Padding mode) {
        long length;
        long lo;
        if (mode instanceof Padding.Same) {
            length = ek + s - 2;
            lo = s > ek - 1 ? ek - 1 : (length + 1) / 2;
        } else {
            length = ek + s - 2 + Math.max(ek - s, 0);
            lo = ek - 1;
        }
        SizeLimits.checkExtent(who, "the " + mode + " padding along spatial axis " + axis, length);
        return new int[] {(int) lo, (int) (length - lo)};
    }

    // ---- accessors -------------------------------------------------------------------------

    public String layerType() { return layerType; }
    /** The layer type and, when one was given, its name ({@code Conv2d 'enc1'}): how messages name the layer. */
    String who() { return who; }
    public boolean transposed() { return transposed; }
    public int spatialDims() { return spatialDims; }
    public long[] inSize() { return inSize.clone(); }
    public boolean channelFirst() { return channelFirst; }
    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }
    public int groups() { return groups; }
    public int[] kernelSize() { return kernelSize.clone(); }
    public int[] stride() { return stride.clone(); }
    public int[] lhsDilation() { return lhsDilation.clone(); }
    public int[] rhsDilation() { return rhsDilation.clone(); }
    public Padding padding() { return padding; }

    /** Input spatial size along {@code axis}. */
    public long spatialIn(int axis) {
        return inSize[channelFirst ? axis + 1 : axis];
    }

    /** Output spatial size along {@code axis}. */
    public long spatialOut(int axis) {
        return outSpatial[axis];
    }

    /** {@code (k - 1) * d + 1}. */
    public int effectiveKernel(int axis) {
        return (kernelSize[axis] - 1) * rhsDilation[axis] + 1;
    }

    /**
     * The {@code (lo, hi)} padding applied along {@code axis}: to the input-dilated input of a
     * forward convolution, or to the stride-dilated input of a transposed one.
     */
    public int[] pads(int axis) {
        return pads[axis].clone();
    }

    /** True when the forward convolution dilates its input ({@code lhsDilation > 1} on some axis). */
    private boolean dilatesInput() {
        return !transposed && Arrays.stream(lhsDilation).anyMatch(v -> v > 1);
    }

    /**
     * Kernel shape, HWIO-style: {@code (*kernelSize, inChannels/groups, outChannels)} for forward
     * convolutions, {@code (*kernelSize, outChannels, inChannels/groups)} for transposed ones.
     */
    public long[] kernelShape() {
        long[] shape = new long[spatialDims + 2];
        for (int i = 0; i < spatialDims; i++) shape[i] = kernelSize[i];
        shape[spatialDims] = transposed ? outChannels : inChannels / groups;
        shape[spatialDims + 1] = transposed ? inChannels / groups : outChannels;
        return shape;
    }

    /** Per-sample output shape, in the input's layout. */
    public long[] outSize() {
        return sampleShape(outSpatial, outChannels);
    }

    /** Bias shape, as BrainState 0.5 makes it: {@code (1,)*n + (C,)}, or {@code (1, C) + (1,)*n} channel-first. */
    public long[] biasShape() {
        long[] shape = new long[channelFirst ? spatialDims + 2 : spatialDims + 1];
        Arrays.fill(shape, 1);
        shape[channelFirst ? 1 : spatialDims] = outChannels;
        return shape;
    }

    private long[] sampleShape(long[] spatial, long channels) {
        long[] shape = new long[spatialDims + 1];
        for (int i = 0; i < spatialDims; i++) shape[channelFirst ? i + 1 : i] = spatial[i];
        shape[channelFirst ? 0 : spatialDims] = channels;
        return shape;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(layerType).append('(');
        sb.append("inSize=").append(Arrays.toString(inSize)).append(", outChannels=").append(outChannels);
        sb.append(", kernelSize=").append(Arrays.toString(kernelSize));
        if (Arrays.stream(stride).anyMatch(v -> v != 1)) sb.append(", stride=").append(Arrays.toString(stride));
        if (!(padding instanceof Padding.Same)) sb.append(", padding=").append(padding);
        if (dilatesInput()) sb.append(", lhsDilation=").append(Arrays.toString(lhsDilation));
        if (Arrays.stream(rhsDilation).anyMatch(v -> v != 1)) {
            sb.append(", rhsDilation=").append(Arrays.toString(rhsDilation));
        }
        if (groups != 1) sb.append(", groups=").append(groups);
        if (channelFirst) sb.append(", channelFirst=true");
        return sb.append(')').toString();
    }

    static Builder builder(String layerType, int spatialDims, boolean transposed) {
        return new Builder(layerType, spatialDims, transposed);
    }

    /** Raw, unvalidated settings; {@link #build()} validates them all. */
    static final class Builder {
        private final String layerType;
        private final int spatialDims;
        private final boolean transposed;
        long[] inSize;
        Integer outChannels;
        int[] kernelSize;
        int[] stride = {1};
        int[] lhsDilation = {1};
        int[] rhsDilation = {1};
        int groups = 1;
        Padding padding = Padding.SAME;
        boolean channelFirst;
        /** The layer's name when one was given, for messages. */
        String name;

        private Builder(String layerType, int spatialDims, boolean transposed) {
            this.layerType = layerType;
            this.spatialDims = spatialDims;
            this.transposed = transposed;
        }

        String layerType() {
            return layerType;
        }

        ConvSpec build() {
            return new ConvSpec(this);
        }
    }
}
