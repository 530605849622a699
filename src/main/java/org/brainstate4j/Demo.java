package org.brainstate4j;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.ConvLayer;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.brainstate4j.nn.init.Constant;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A small demonstration of the layer family: a conv -> weight-standardized conv -> transposed conv
 * encoder-decoder is emitted into one SameDiff graph, its layers are listed, and it is trained for
 * a few Adam steps to reproduce smooth random images, printing the falling loss.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) {
        Nd4j.getRandom().setSeed(1);
        Conv2d encoder = Conv2d.builder().inSize(32, 32, 3).outChannels(16).kernelSize(3).stride(2)
                .biasInit(Constant.ZEROS).name("encoder").seed(1).build();
        ScaledWSConv2d middle = ScaledWSConv2d.builder().inSize(16, 16, 16).outChannels(16).kernelSize(3)
                .biasInit(Constant.ZEROS).name("middle").seed(2).build();
        ConvTranspose2d decoder = ConvTranspose2d.builder().inSize(16, 16, 16).outChannels(3).kernelSize(4).stride(2)
                .biasInit(Constant.ZEROS).name("decoder").seed(3).build();
        List<ConvLayer> layers = List.of(encoder, middle, decoder);

        System.out.println("brainstate4j demo: BrainState convolution layers as SameDiff subgraphs");
        System.out.printf(Locale.ROOT, "%-9s %-16s %-14s %-14s %-16s %8s%n", "layer", "type", "in", "out", "kernel", "params");
        for (ConvLayer l : layers) {
            System.out.printf(Locale.ROOT, "%-9s %-16s %-14s %-14s %-16s %8d%n", l.name(), l.typeName(),
                    shape(l.inSize()), shape(l.outSize()), shape(l.kernelShape()), l.parameterCount());
        }

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 32, 32, 3);
        SDVariable h = sd.nn().relu(encoder.apply(sd, x), 0);
        h = sd.nn().relu(middle.apply(sd, h), 0);
        SDVariable y = decoder.apply(sd, h);
        SDVariable diff = y.sub(x);
        diff.mul(diff).mean().rename("loss").markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(3e-3)).dataSetFeatureMapping("x")
                .markLabelsUnused().build());

        // Smooth images: random 4x4 patterns upsampled to 32x32, so there is structure to learn.
        INDArray coarse = Nd4j.rand(DataType.FLOAT, 16, 4, 4, 3);
        INDArray images = coarse.repeat(1, 8).repeat(2, 8);
        DataSet data = new DataSet(images, null);
        System.out.println("training the autoencoder on 16 smooth 32x32x3 images (Adam 3e-3):");
        for (int step = 0; step <= 60; step++) {
            if (step % 10 == 0) {
                double loss = sd.output(Map.of("x", images), "loss").get("loss").getDouble(0);
                System.out.printf(Locale.ROOT, "  step %3d  reconstruction MSE %.5f%n", step, loss);
            }
            if (step < 60) sd.fit(data);
        }
    }

    private static String shape(long[] s) {
        return java.util.Arrays.toString(s).replace(" ", "");
    }
}
