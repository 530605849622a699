package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The configurations that used to overflow, exhaust memory or crash the JVM when built or run are
 * refused when the layer is built, under the default {@link SizeLimits}, with the size and the limit
 * in the message; null arguments are refused with their names.
 */
class SizeLimitsTest {
    private static final int MAX = Integer.MAX_VALUE;

    private static String refused(Executable build, String... fragments) {
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2_000, "refused at once, not after allocating (" + millis + " ms): " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        System.out.println(e.getMessage());
        return e.getMessage();
    }

    @Test
    void productsThatOverflowedAreRefused() {
        refused(() -> Conv2d.builder().inSize(8, 8, 65536).outChannels(65536).kernelSize(3).build(),
                "Conv2d: the kernel [3, 3, 65536, 65536] (weight) would hold 38654705664 elements",
                "over the limit of 268435456 elements per tensor", "-Dbrainstate4j.maxTensorElements");
        refused(() -> Conv2d.builder().inSize(4, 4, 1).kernelSize(MAX).outChannels(1).build(), "Conv2d");
        refused(() -> Linear.builder().inSize(1 << 20).outSize(1 << 20).build(),
                "Linear: the weight [1048576, 1048576] would hold 1099511627776 elements");
        refused(() -> Conv2d.builder().inSize(4, 4, 1L << 33).outChannels(1).kernelSize(1).build(),
                "Conv2d: the input (inSize [4, 4, 8589934592]) would hold 137438953472 elements");
        refused(() -> Conv3d.builder().inSize(MAX, MAX, MAX, MAX).outChannels(1).kernelSize(1).build(),
                "more than 9.2e18");
    }

    @Test
    void sizesThatExhaustedMemoryAreRefused() {
        refused(() -> Conv1d.builder().inSize(MAX, 1).outChannels(1).kernelSize(MAX).padding("VALID").build(),
                "Conv1d: the input (inSize [2147483647, 1]) would hold 2147483647 elements");
        refused(() -> ConvTranspose3d.builder().inSize(2, 2, 2, 1).outChannels(1).kernelSize(MAX, 1, 1).build(),
                "ConvTranspose3d");
        refused(() -> GroupNorm.builder().inSize(4, 4, MAX).numGroups(1).build(),
                "GroupNorm: the input (inSize [4, 4, 2147483647]) would hold 34359738352 elements");
    }

    @Test
    void dilationsAndPaddingsThatCrashedNativeCodeAreRefused() {
        refused(() -> Conv2d.builder().inSize(4, 4, 1).outChannels(1).kernelSize(3).rhsDilation(MAX).padding("SAME").build(),
                "Conv2d: the effective kernel along spatial axis 0 ((kernelSize - 1) * rhsDilation + 1) would be 4294967295 long",
                "over the limit of 2147483647 per axis");
        refused(() -> Conv2d.builder().inSize(4, 4, 1).outChannels(1).kernelSize(3).lhsDilation(MAX).padding(1).name("up").build(),
                "Conv2d 'up': the dilated input along spatial axis 0 would be 8589934588 long");
        refused(() -> Conv2d.builder().inSize(4, 4, 1).outChannels(1).kernelSize(3).padding(MAX).build(),
                "Conv2d: the padded input along spatial axis 0 would be 4294967298 long");
        refused(() -> Conv2d.builder().inSize(4, 4, 1).outChannels(1).kernelSize(3).padding(20_000).build(),
                "Conv2d: the padded input would hold 1600320016 elements");
        refused(() -> ConvTranspose2d.builder().inSize(4, 4, 1).outChannels(1).kernelSize(3).stride(MAX).build(),
                "ConvTranspose2d: the uncropped output along spatial axis 0");
        refused(() -> Conv1d.builder().inSize(3, 1).outChannels(1).kernelSize(1).padding(Padding.perAxis(-5, 10)).build(),
                "Conv1d: padding [-5, 10] along spatial axis 0 would crop 5 elements from the low side of an input of 3");
    }

    @Test
    void theLimitIsPerTensorAndCanBeLowered() {
        try (SizeLimits.Scope ignored = SizeLimits.scope(64 * 64)) {
            Linear.builder().inSize(64).outSize(64).build();
            refused(() -> Linear.builder().inSize(64).outSize(65).build(), "would hold 4160 elements, over the limit of 4096");
            try (SizeLimits.Scope inner = SizeLimits.scope(10)) {
                assertEquals(10, SizeLimits.maxElements());
            }
            assertEquals(64 * 64, SizeLimits.maxElements());
        }
        assertEquals(SizeLimits.DEFAULT_MAX_ELEMENTS, SizeLimits.maxElements());
        refused(() -> SizeLimits.scope(0), "maxElements (=0) must be from 1 to 2147483639");
        System.setProperty(SizeLimits.PROPERTY, "lots");
        try {
            refused(SizeLimits::maxElements, "system property brainstate4j.maxTensorElements (='lots') must be a whole number");
            System.setProperty(SizeLimits.PROPERTY, "1000");
            assertEquals(1000, SizeLimits.maxElements());
        } finally {
            System.clearProperty(SizeLimits.PROPERTY);
        }
        assertEquals(Long.MAX_VALUE, SizeLimits.product(1L << 40, 1L << 40));
        assertEquals(0, SizeLimits.product(Long.MAX_VALUE, 0));
    }

    @Test
    void nullArgumentsAreRefusedWithTheirNames() {
        refused(() -> Conv2d.builder().inSize(4, 4, 2).outChannels(2).kernelSize(3).bias(null), "Conv2d: bias must not be null");
        refused(() -> Conv2d.builder().name("enc").inSize(4, 4, 2).outChannels(2).kernelSize(3).weight(null),
                "Conv2d 'enc': weight must not be null");
        refused(() -> Linear.builder().inSize(3).outSize(2).bias(null), "Linear: bias must not be null");
        refused(() -> Summary.of(null, DataType.FLOAT, 8, 8, 3), "Summary.of: module must not be null");
        refused(() -> Summary.of(Linear.builder().inSize(3).outSize(2).build(), null, 3), "Summary.of: dataType must not be null");
        refused(() -> Summary.of(Linear.builder().inSize(3).outSize(2).build(), DataType.FLOAT, (long[]) null),
                "Summary.of: sampleShape (=null)");
        refused(() -> Conv2d.builder().inSize(4, 4, 2).outChannels(2).kernelSize((int[]) null).build(),
                "Conv2d: kernelSize is required");
        refused(() -> Conv2d.builder().inSize(4, 4, 2).outChannels(2).kernelSize(3).stride((int[]) null).build(),
                "Conv2d: stride (=null)");
        refused(() -> Conv2d.builder().inSize(4, 4, 2).outChannels(2).kernelSize(3).weightInit((s, t, r) -> null).build(),
                "Conv2d: the weight initializer returned null");
    }

    @Test
    void messagesNameTheLayerWhenItHasAName() {
        refused(() -> Conv2d.builder().name("enc2").inSize(4, 4, 2).outChannels(3).kernelSize(3).groups(2).build(),
                "Conv2d 'enc2': outChannels (=3) must be divisible by groups (=2)");
        refused(() -> Conv2d.builder().name("enc2").inSize(4, 4, 2).outChannels(2).kernelSize(3).padding("same"),
                "Conv2d 'enc2': padding (='same') must be 'SAME' or 'VALID'");
        refused(() -> Padding.of("same"), "Padding.of: padding (='same') must be 'SAME' or 'VALID'");
        refused(() -> Linear.builder().name("fc").inSize(0).outSize(2).build(), "Linear 'fc': inSize (=[0])");
        refused(() -> GroupNorm.builder().name("gn").inSize(4, 6).numGroups(4).build(), "GroupNorm 'gn': numGroups (=4)");
    }

    @Test
    void anIntegerInputIsToldToCast() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant("x", Nd4j.zeros(DataType.INT32, 2, 4, 4, 1));
        Conv2d conv = Conv2d.builder().inSize(4, 4, 1).outChannels(1).kernelSize(3).build();
        String m = refused(() -> conv.apply(sd, x), "input 'x' has data type INT but the layer computes in FLOAT",
                "cast the input to FLOAT");
        assertTrue(!m.contains("dataType(INT)"), m);
    }
}
