package org.brainstate4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.brainstate4j.nn.Module;
import org.brainstate4j.nn.Summary;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tutorial's three networks: shapes (by running them), parameter counts and summaries. */
class TutorialNetworksTest {

    private static INDArray run(Module model, long... inputShape) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, inputShape);
        SDVariable y = model.apply(sd, x);
        return sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, inputShape)), y.name()).get(y.name());
    }

    @Test
    void simpleCnnMapsTutorialImagesToTenLogits() {
        SimpleCNN cnn = SimpleCNN.builder().seed(1).build();
        assertArrayEquals(new long[] {4, 10}, run(cnn, 4, 32, 32, 3).shape());
        // conv1 3*3*3*32 + conv2 3*3*32*64 + conv3 3*3*64*128 + fc 2048*10 + 10
        assertEquals(864 + 18_432 + 73_728 + 20_490, cnn.parameterCount());
        assertEquals(List.of("conv1/weight", "conv2/weight", "conv3/weight", "fc/weight", "fc/bias"),
                List.copyOf(cnn.parameters().keySet()));
    }

    @Test
    void simpleCnnTakesOtherInputSizesAndClassCounts() {
        SimpleCNN fashion = SimpleCNN.builder().inSize(28, 28, 1).numClasses(10).seed(1).build();
        assertArrayEquals(new long[] {3, 10}, run(fashion, 3, 28, 28, 1).shape());
        assertArrayEquals(new long[] {3 * 3 * 128, 10}, fashion.parameters().get("fc/weight").shape());
    }

    @Test
    void weightStandardizedCnnAddsGainsAndGroupNorms() {
        SimpleCNN ws = SimpleCNN.builder().weightStandardized(true).seed(1).build();
        assertArrayEquals(new long[] {2, 10}, run(ws, 2, 32, 32, 3).shape());
        // plain count + gains (32 + 64 + 128) + GroupNorm scale and bias (2 * (32 + 64 + 128))
        assertEquals(113_514 + 224 + 448, ws.parameterCount());
        assertTrue(ws.parameters().containsKey("conv2/gain"));
        assertTrue(ws.parameters().containsKey("norm2/scale"));
    }

    @Test
    void autoencoderHasTheTutorialLatentAndOutput() {
        ConvAutoencoder ae = ConvAutoencoder.builder().seed(1).build();
        assertArrayEquals(new long[] {8, 8, 128}, ae.latentSize());
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 4, 64, 64, 3);
        SDVariable z = ae.encode(sd, x);
        SDVariable y = ae.decode(sd, z);
        Map<String, INDArray> out = sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 4, 64, 64, 3)), z.name(), y.name());
        assertArrayEquals(new long[] {4, 8, 8, 128}, out.get(z.name()).shape());
        assertArrayEquals(new long[] {4, 64, 64, 3}, out.get(y.name()).shape());
        INDArray image = out.get(y.name());
        assertTrue(image.minNumber().doubleValue() >= 0 && image.maxNumber().doubleValue() <= 1, "sigmoid output");
        assertEquals(1_536 + 32_768 + 131_072 + 131_072 + 32_768 + 1_536, ae.parameterCount());
    }

    @Test
    void weightStandardizedAutoencoderAddsGainsAndGroupNorms() {
        ConvAutoencoder ws = ConvAutoencoder.builder().weightStandardized(true).seed(1).build();
        assertArrayEquals(new long[] {2, 64, 64, 3}, run(ws, 2, 64, 64, 3).shape());
        // plain count + encoder gains (32 + 64 + 128) + GroupNorm scale and bias after enc 1-3 and dec 1-2
        assertEquals(330_752 + 224 + 2 * (32 + 64 + 128 + 64 + 32), ws.parameterCount());
        assertEquals(List.of("enc_conv1/weight", "enc_conv1/gain", "enc_conv1_norm/scale", "enc_conv1_norm/bias"),
                List.copyOf(ws.parameters().keySet()).subList(0, 4));
        assertTrue(ws.parameters().containsKey("dec_conv2_norm/scale"));
        assertTrue(!ws.parameters().containsKey("dec_conv3_norm/scale"), "no norm before the sigmoid");
    }

    @Test
    void unetPreservesSpatialSizeWithConcatenatedSkips() {
        SimpleUNet unet = SimpleUNet.builder().seed(1).build();
        assertArrayEquals(new long[] {2, 128, 128, 2}, run(unet, 2, 128, 128, 3).shape());
        assertEquals(1_728 + 73_728 + 294_912 + 1_179_648 + 2_097_152 + 1_048_576 + 262_144 + 256,
                unet.parameterCount());
        // transposed kernels are (k, k, out, in); decoder inputs carry the skips: 256+256, 128+128, 64+64
        assertArrayEquals(new long[] {4, 4, 256, 512}, unet.parameters().get("dec1/weight").shape());
        assertArrayEquals(new long[] {4, 4, 128, 512}, unet.parameters().get("dec2/weight").shape());
        assertArrayEquals(new long[] {4, 4, 64, 256}, unet.parameters().get("dec3/weight").shape());
        assertArrayEquals(new long[] {1, 1, 128, 2}, unet.parameters().get("output/weight").shape());
    }

    @Test
    void unetWidthAndWeightStandardizedVariant() {
        SimpleUNet small = SimpleUNet.builder().inSize(64, 64, 3).numClasses(11).width(8)
                .weightStandardized(true).seed(1).build();
        assertArrayEquals(new long[] {2, 64, 64, 11}, run(small, 2, 64, 64, 3).shape());
        List<String> names = List.copyOf(small.parameters().keySet());
        assertEquals(List.of("enc1/weight", "enc1/gain", "enc1_norm/scale", "enc1_norm/bias"), names.subList(0, 4));
        assertTrue(names.contains("dec3_norm/bias") && names.contains("output/gain"));
    }

    @Test
    void summaryListsEveryLayerWithRealOutputShapes() {
        SimpleUNet unet = SimpleUNet.builder().width(8).seed(1).build();
        Summary summary = Summary.of(unet, DataType.FLOAT, 128, 128, 3);
        List<Summary.Row> rows = summary.rows();
        assertEquals("unet", rows.get(0).path());
        assertEquals(9, rows.size(), "the network and its 8 layers");
        Summary.Row dec2 = rows.stream().filter(r -> r.path().equals("unet/dec2")).findFirst().orElseThrow();
        assertEquals("ConvTranspose2d", dec2.type());
        assertArrayEquals(new long[] {-1, 64, 64, 16}, dec2.outputShape());
        assertEquals(4 * 4 * 16 * 64, dec2.parameters());
        assertEquals(unet.parameterCount(), summary.totalParameters());
        String table = summary.toString();
        assertTrue(table.contains("Output shape") && table.contains("(None, 128, 128, 2)")
                && table.contains("Total params: " + String.format("%,d", unet.parameterCount())), table);
    }
}
