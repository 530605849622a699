package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.brainstate4j.graph.StaticShapes;
import org.brainstate4j.nn.init.Initializer;
import org.brainstate4j.nn.init.Normal;
import org.brainstate4j.nn.init.VarianceScaling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One test per error message: each invalid setting is refused with an IllegalArgumentException
 * that names the argument, its value and the rule, when the layer is built (configuration) or
 * applied (input), before anything runs.
 */
class ErrorMessagesTest {

    /** Asserts {@code action} throws IllegalArgumentException whose message contains every fragment. */
    private static void assertRefused(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        }
    }

    private static Conv.Builder<Conv2d> conv2d() {
        return Conv2d.builder().inSize(8, 8, 4).outChannels(6).kernelSize(3);
    }

    // ---- construction ------------------------------------------------------------------------

    @Test
    void inSizeMissing() {
        assertRefused(() -> Conv2d.builder().outChannels(6).kernelSize(3).build(), "Conv2d", "inSize is required");
    }

    @Test
    void inSizeWrongLength() {
        assertRefused(() -> conv2d().inSize(32, 32).build(),
                "Conv2d", "inSize (=[32, 32])", "must have 3 entries", "2 spatial dimensions plus the channel", "length 2");
    }

    @Test
    void inSizeNonPositive() {
        assertRefused(() -> conv2d().inSize(8, 0, 4).build(), "inSize (=[8, 0, 4])", "only positive sizes");
    }

    @Test
    void outChannelsMissing() {
        assertRefused(() -> Conv2d.builder().inSize(8, 8, 4).kernelSize(3).build(), "outChannels is required");
    }

    @Test
    void outChannelsNonPositive() {
        assertRefused(() -> conv2d().outChannels(0).build(), "outChannels (=0)", "must be positive");
    }

    @Test
    void kernelSizeMissing() {
        assertRefused(() -> Conv2d.builder().inSize(8, 8, 4).outChannels(6).build(), "kernelSize is required");
    }

    @Test
    void perAxisArgumentWrongLength() {
        assertRefused(() -> conv2d().kernelSize(3, 3, 3).build(),
                "kernelSize (=[3, 3, 3])", "must be a scalar or a sequence of length 1 or 2");
        assertRefused(() -> conv2d().stride(1, 2, 3).build(), "stride (=[1, 2, 3])", "length 1 or 2");
        assertRefused(() -> ConvTranspose3d.builder().inSize(4, 4, 4, 2).outChannels(2).kernelSize(2)
                .rhsDilation(1, 2).build(), "ConvTranspose3d", "rhsDilation (=[1, 2])", "length 1 or 3");
        assertRefused(() -> conv2d().lhsDilation(2, 2, 2).padding(1).build(), "lhsDilation (=[2, 2, 2])");
    }

    @Test
    void perAxisArgumentNonPositive() {
        assertRefused(() -> conv2d().stride(0).build(), "stride (=[0])", "only positive values");
        assertRefused(() -> conv2d().rhsDilation(1, -2).build(), "rhsDilation (=[1, -2])", "only positive values");
    }

    @Test
    void groupsNonPositive() {
        assertRefused(() -> conv2d().groups(0).build(), "groups (=0)", "must be positive");
    }

    @Test
    void outChannelsNotDivisibleByGroupsIsCheckedFirst() {
        // both counts fail; BrainState reports out_channels first
        assertRefused(() -> Conv2d.builder().inSize(8, 8, 5).outChannels(6).kernelSize(3).groups(4).build(),
                "outChannels (=6)", "divisible by groups (=4)");
    }

    @Test
    void inChannelsNotDivisibleByGroups() {
        assertRefused(() -> Conv2d.builder().inSize(8, 8, 6).outChannels(4).kernelSize(3).groups(4).build(),
                "inChannels (=6, from inSize [8, 8, 6])", "divisible by groups (=4)");
    }

    @Test
    void paddingNull() {
        assertRefused(() -> conv2d().padding((Padding) null).build(), "padding must not be null");
    }

    @Test
    void paddingBadString() {
        assertRefused(() -> conv2d().padding("same").build(), "padding (='same')", "'SAME' or 'VALID'");
    }

    @Test
    void paddingFlatSequenceWrongLength() {
        assertRefused(() -> conv2d().padding(Padding.perAxis(1, 2, 3)).build(),
                "Conv2d", "padding (=[1, 2, 3])", "flat integer sequence must have length 2");
        assertRefused(() -> Conv1d.builder().inSize(8, 2).outChannels(2).kernelSize(3)
                .padding(Padding.perAxis(1, 2, 3)).build(), "length 1", "or 2 (one (lo, hi) pair)");
    }

    @Test
    void paddingPairsWrongCount() {
        assertRefused(() -> Conv3d.builder().inSize(4, 4, 4, 2).outChannels(2).kernelSize(2)
                        .padding(Padding.pairs(new int[] {1, 1}, new int[] {0, 0})).build(),
                "padding (=[[1, 1], [0, 0]])", "one (lo, hi) pair or a sequence of 3 (lo, hi) pairs");
    }

    @Test
    void paddingEmptyOrNotPairs() {
        assertRefused(() -> Padding.perAxis(), "padding (=[])", "must not be an empty sequence");
        assertRefused(() -> Padding.pairs(), "must not be an empty sequence of (lo, hi) pairs");
        assertRefused(() -> Padding.pairs(new int[] {1, 2, 3}), "[1, 2, 3] is not a pair");
    }

    @Test
    void lhsDilationNeedsExplicitPadding() {
        assertRefused(() -> conv2d().lhsDilation(2).padding("SAME").build(),
                "lhsDilation (=[2, 2])", "needs explicit padding", "padding SAME");
        assertRefused(() -> ScaledWSConv1d.builder().inSize(8, 2).outChannels(2).kernelSize(3).lhsDilation(2)
                .padding("VALID").build(), "ScaledWSConv1d", "padding VALID");
    }

    @Test
    void emptyOutput() {
        assertRefused(() -> conv2d().inSize(2, 8, 4).kernelSize(3).padding("VALID").build(),
                "output would be empty along spatial axis 0", "input size 2", "effective kernel 3");
        assertRefused(() -> conv2d().rhsDilation(4).padding("VALID").build(), "effective kernel 9", "rhsDilation 4");
    }

    @Test
    void dataTypeNotFloating() {
        assertRefused(() -> conv2d().dataType(DataType.INT32).build(), "dataType (=INT)", "FLOAT or DOUBLE");
    }

    @Test
    void weightMaskDoesNotBroadcast() {
        assertRefused(() -> conv2d().weightMask(Nd4j.ones(3, 3, 4, 5)).build(),
                "weightMask of shape [3, 3, 4, 5]", "broadcast to the kernel shape [3, 3, 4, 6]");
    }

    @Test
    void weightInitNull() {
        assertRefused(() -> conv2d().weightInit(null).build(), "weightInit must not be null");
    }

    @Test
    void initialValueWrongShape() {
        assertRefused(() -> conv2d().weight(Nd4j.ones(3, 3, 4)).build(),
                "Conv2d: weight", "initial value of shape [3, 3, 4]", "parameter shape [3, 3, 4, 6]");
        assertRefused(() -> conv2d().bias(Nd4j.ones(6)).build(),
                "Conv2d: bias", "initial value of shape [6]", "parameter shape [1, 1, 6]");
    }

    @Test
    void initializerMadeWrongShape() {
        Initializer broken = (shape, dataType, random) -> Nd4j.zeros(dataType, 2);
        assertRefused(() -> conv2d().weightInit(broken).build(),
                "the weight initializer made shape [2] (FLOAT)", "expected [3, 3, 4, 6] (FLOAT)");
    }

    @Test
    void badInitializerArguments() {
        assertRefused(() -> new Normal(0, -1), "std (=-1.0)", "non-negative");
        assertRefused(() -> new VarianceScaling(0, VarianceScaling.Mode.FAN_IN, VarianceScaling.Distribution.NORMAL),
                "scale (=0.0)", "must be positive");
    }

    @Test
    void badName() {
        assertRefused(() -> conv2d().name("enc/1").build(), "Conv2d: name (='enc/1')", "letters, digits");
    }

    // ---- application -------------------------------------------------------------------------

    /** Applies the layer to {@code x} and checks the refusal added no op to the graph. */
    private static void assertApplyRefused(ConvLayer layer, SameDiff sd, Supplier<SDVariable> input, String... fragments) {
        SDVariable x = input.get();
        int opsBefore = sd.getOps().size();
        assertRefused(() -> layer.apply(sd, x), fragments);
        assertEquals(opsBefore, sd.getOps().size(), "a refused input must not add ops");
    }

    @Test
    void inputOfWrongRank() {
        SameDiff sd = SameDiff.create();
        assertApplyRefused(conv2d().name("c").build(), sd, () -> sd.placeHolder("x", DataType.FLOAT, 2, 1, 8, 8, 4),
                "Conv2d 'c'", "expected a 4-D (batched) or 3-D (unbatched) input", "got a 5-D input 'x'",
                "shape [2, 1, 8, 8, 4]");
    }

    @Test
    void inputOfWrongPerSampleShape() {
        SameDiff sd = SameDiff.create();
        assertApplyRefused(conv2d().name("enc2").build(), sd, () -> sd.placeHolder("x", DataType.FLOAT, -1, 16, 8, 4),
                "Conv2d 'enc2'", "expected per-sample input shape [8, 8, 4] (inSize)", "got [16, 8, 4]",
                "shape [-1, 16, 8, 4]");
        // channel-first layer fed channels-last data
        SameDiff sd2 = SameDiff.create();
        assertApplyRefused(conv2d().inSize(4, 8, 8).channelFirst(true).build(), sd2,
                () -> sd2.placeHolder("x", DataType.FLOAT, 2, 8, 8, 4), "expected per-sample input shape [4, 8, 8]",
                "got [8, 8, 4]");
    }

    @Test
    void inputOfWrongDataType() {
        SameDiff sd = SameDiff.create();
        assertApplyRefused(conv2d().build(), sd, () -> sd.placeHolder("x", DataType.DOUBLE, 2, 8, 8, 4),
                "input 'x' has data type DOUBLE", "computes in FLOAT", "dataType(DOUBLE)");
    }

    @Test
    void inputOfUnknownShape() {
        SameDiff sd = SameDiff.create();
        assertApplyRefused(conv2d().build(), sd, () -> sd.placeHolder("x", DataType.FLOAT, (long[]) null),
                "the shape of input 'x' cannot be determined", "StaticShapes.record");
    }

    @Test
    void inputFromAnotherGraph() {
        SameDiff other = SameDiff.create();
        SDVariable x = other.placeHolder("x", DataType.FLOAT, 2, 8, 8, 4);
        assertRefused(() -> conv2d().build().apply(SameDiff.create(), x), "input 'x' belongs to a different SameDiff graph");
    }

    @Test
    void nullGraphOrInput() {
        assertRefused(() -> conv2d().build().apply(null, null), "the graph must not be null");
        assertRefused(() -> conv2d().build().apply(SameDiff.create(), null), "the input must not be null");
    }

    @Test
    void twoLayersWithTheSameNameInOneScope() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2, 8, 8, 4);
        conv2d().name("conv").build().apply(sd, x);
        assertRefused(() -> conv2d().name("conv").build().apply(sd, x),
                "Conv2d 'conv'", "already has a variable 'conv/weight'", "distinct name");
    }

    @Test
    void recordedShapeIsChecked() {
        // StaticShapes.record is the escape hatch for unknown shapes; what is recorded is then enforced.
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, (long[]) null);
        StaticShapes.record(x, new long[] {-1, 8, 9, 4});
        assertApplyRefused(conv2d().build(), sd, () -> x, "got [8, 9, 4]");
    }
}
