package example;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.brainstate4j.NativeBuilds;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.brainstate4j.nn.Conv2d;
import org.brainstate4j.nn.ConvTranspose2d;
import org.brainstate4j.nn.Summary;
import org.brainstate4j.nn.init.Constant;
import org.brainstate4j.train.ProgressListener;
import org.brainstate4j.train.Training;
import org.nd4j.autodiff.listeners.records.History;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The snippets of README.md and docs/*.md, each between README:begin and README:end exactly as there, run with checks. */
public final class ReadmeSnippets {
    public static void main(String[] args) throws Exception {
        // README:begin native
        NativeBuilds.Build build = NativeBuilds.useFastest();   // first, before anything touches ND4J
        // README:end
        Nd4j.getBackend();   // loads ND4J, whose configuration NativeOpsHolder reads
        String info = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        check(build.oneDnn() == info.contains("HAVE_ONEDNN"), "chose " + build + " but ND4J loaded: " + info);
        check(build == NativeBuilds.fastestAvailable(), "chose " + build + ", fastest here: " + NativeBuilds.fastestAvailable());
        System.out.println("native build: " + build + " (" + build.classifier() + "), OneDNN " + build.oneDnn());
        layers();
        composition();
        training();
        System.out.println("README snippets: all ran and checked");
    }

    static void layers() {
        // README:begin layers
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 32, 32, 3);      // (batch, H, W, C)

        Conv2d conv = Conv2d.builder()
                .inSize(32, 32, 3).outChannels(64).kernelSize(3)                // required
                .stride(2).padding("SAME").biasInit(Constant.ZEROS)              // optional, BrainState's defaults otherwise
                .name("enc1")
                .build();                                                         // validated here; parameters initialized

        SDVariable h = sd.nn().relu(conv.apply(sd, x), 0);                        // ops and variables under "enc1/"
        ConvTranspose2d up = ConvTranspose2d.builder().inSize(16, 16, 64).outChannels(3).kernelSize(4).stride(2).build();
        SDVariable y = up.apply(sd, h);                                            // (batch, 32, 32, 3)

        conv.outSize();      // [16, 16, 64]
        conv.kernelShape();  // [3, 3, 3, 64]
        conv.parameters();   // {weight=..., bias=...}: the same arrays the graph trains
        // README:end
        check(Arrays.equals(conv.outSize(), new long[] {16, 16, 64}), "outSize " + Arrays.toString(conv.outSize()));
        check(Arrays.equals(conv.kernelShape(), new long[] {3, 3, 3, 64}), "kernelShape " + Arrays.toString(conv.kernelShape()));
        check(conv.parameters().keySet().containsAll(java.util.List.of("weight", "bias")), "parameters " + conv.parameters().keySet());
        INDArray out = sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 2, 32, 32, 3)), y.name()).get(y.name());
        check(Arrays.equals(out.shape(), new long[] {2, 32, 32, 3}), "output shape " + Arrays.toString(out.shape()));
        System.out.println("layers: output " + Arrays.toString(out.shape()));
    }

    static void composition() {
        // README:begin summary
        System.out.println(Summary.of(new Classifier(), DataType.FLOAT, 28, 28, 1));
        // README:end
        check(new Classifier().parameterCount() == 144 + 16 + 32 + 31360 + 10, "parameter count");
    }

    static void training() throws Exception {
        // README:begin training
        LabelledImages images = FashionMnist.train(Path.of("data/fashion-mnist")).first(2_000);
        DataSetIterator train = images.iterator(64, true, 42);        // [64, 28, 28, 1] in [0, 1], one-hot labels

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("input", DataType.FLOAT, -1, 28, 28, 1);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 10);
        SDVariable logits = new Classifier().apply(sd, x);            // the network of "Composition"
        sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());

        ProgressListener progress = new ProgressListener(train, 2);   // live bar on stderr: ETA, loss, samples/s
        History history = Training.fit(sd, train, 2, progress);
        float[] meanLossPerEpoch = history.lossCurve().meanLoss("loss"); // real values (plain sd.fit: 0 on M2.1)
        // README:end
        check(meanLossPerEpoch.length == 2 && meanLossPerEpoch[0] > 0.3 && meanLossPerEpoch[1] < meanLossPerEpoch[0],
                "mean loss per epoch " + Arrays.toString(meanLossPerEpoch));
        System.out.println("training: mean loss per epoch " + Arrays.toString(meanLossPerEpoch));
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("README snippet check failed: " + what);
    }
}
