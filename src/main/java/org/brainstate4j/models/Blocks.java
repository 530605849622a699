package org.brainstate4j.models;

import static org.brainstate4j.Checks.checkArgument;

import java.util.SplittableRandom;
import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Module;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** Pieces the tutorial networks share. */
final class Blocks {
    private Blocks() {}

    /** The tutorial's {@code reduce_window(max, 2x2, stride 2, VALID)} on channels-last data. */
    static SDVariable maxPool2x2(SameDiff sd, SDVariable x) {
        return sd.cnn().maxPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .paddingMode(PaddingMode.VALID).isNHWC(true).build());
    }

    /** {@code relu(norm(conv(x)))}, or {@code relu(conv(x))} without a norm. */
    static SDVariable convNormRelu(SameDiff sd, Module conv, GroupNorm norm, SDVariable x) {
        SDVariable h = conv.apply(sd, x);
        if (norm != null) h = norm.apply(sd, h);
        return sd.nn().relu(h, 0);
    }

    /** A GroupNorm after a layer with {@code outSize}, or null for the plain variant. */
    static GroupNorm norm(boolean weightStandardized, String name, long[] outSize, int groups, DataType dataType) {
        if (!weightStandardized) return null;
        return GroupNorm.builder().inSize(outSize).numGroups(groups).dataType(dataType).name(name).build();
    }

    /** The networks' data-type rule, checked before any layer is built (the layers would name themselves, not the network). */
    static void checkDataType(String network, DataType dataType) {
        checkArgument(dataType == DataType.FLOAT || dataType == DataType.DOUBLE,
                network + ": dataType (=%s) must be FLOAT or DOUBLE", dataType);
    }

    /** Seeds for a network's layers: from the network's seed when given, else the global sequence. */
    static final class SeedSource {
        private final SplittableRandom random;

        SeedSource(Long seed) {
            this.random = seed == null ? null : new SplittableRandom(seed);
        }

        /** Applies the next seed to a layer builder, or leaves it on the global sequence. */
        <B> B next(B builder, java.util.function.BiFunction<B, Long, B> setSeed) {
            return random == null ? builder : setSeed.apply(builder, random.nextLong());
        }
    }
}
