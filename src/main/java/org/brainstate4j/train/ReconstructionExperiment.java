package org.brainstate4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.SegmentationSet;
import org.brainstate4j.data.Taxonomy;
import org.brainstate4j.models.ConvAutoencoder;
import org.brainstate4j.nn.Module;
import org.brainstate4j.report.Plots;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The tutorial's ConvAutoencoder at its own input size, 64x64x3, trained to reconstruct the composed
 * garment canvases (the segmentation set's images; labels ignored). Reported metric: mean squared
 * error per pixel and channel on the test canvases (pixel values in [0, 1]).
 */
final class ReconstructionExperiment extends Experiment {
    static final int CANVAS = 64;
    private SegmentationSet set;

    ReconstructionExperiment(TrainingOptions options) {
        super(options);
    }

    @Override
    void loadData() throws IOException {
        int train = options.trainLimit() > 0 ? Math.min(options.trainLimit(), 8_000) : 8_000;
        set = SegmentationSet.builder().canvasSize(CANVAS).objectsPerCanvas(1, 4).taxonomy(Taxonomy.FINE)
                .sizes(train, 1_000, 1_000).seed(seed(3))
                .build(FashionMnist.train(options.dataDir()), FashionMnist.test(options.dataDir()));
    }

    @Override
    public Module buildModel() {
        return ConvAutoencoder.builder().inSize(inputShape()).latentDim(128).seed(seed(1)).build();
    }

    @Override
    public long[] inputShape() {
        return new long[] {CANVAS, CANVAS, 3};
    }

    @Override
    long[] labelShape() {
        return inputShape();
    }

    @Override
    SDVariable loss(SameDiff sd, SDVariable label, SDVariable output) {
        return sd.loss().meanSquaredError(LOSS, label, output, null);
    }

    @Override
    String lossAxisTitle() {
        return "loss (MSE per pixel and channel)";
    }

    @Override
    boolean metricIsFraction() {
        return false;
    }

    /** The canvases as both features and labels. */
    private static DataSetIterator selfSupervised(DataSetIterator it) {
        it.setPreProcessor(ds -> ds.setLabels(ds.getFeatures()));
        return it;
    }

    @Override
    DataSetIterator trainIterator() {
        return selfSupervised(set.train().iterator(options.batchSize(), true, seed(2)));
    }

    @Override
    DataSetIterator validationIterator() {
        return selfSupervised(set.validation().iterator(50, false, 0));
    }

    @Override
    DataSetIterator testIterator() {
        return selfSupervised(set.test().iterator(50, false, 0));
    }

    @Override
    int trainSize() {
        return set.train().size();
    }

    @Override
    Evaluation evaluate(SameDiff sd, DataSetIterator data) {
        double sum = 0;
        long count = 0;
        data.reset();
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray diff = Evaluations.output(sd, batch.getFeatures()).sub(batch.getFeatures());
            sum += diff.mul(diff).sumNumber().doubleValue();
            count += diff.length();
        }
        return new Evaluation("MSE", sum / count, false, null, null, List.of(), count);
    }

    @Override
    void writePictures(Path dir, SameDiff sd, Evaluation test) throws IOException {
        DataSet first = set.test().dataSet(0, 8);
        Plots.reconstructionGrid(dir.resolve("reconstructions.png"), first.getFeatures(),
                Evaluations.output(sd, first.getFeatures()), 8);
    }

    @Override
    String dataDescription() {
        return String.format("composed garment canvases (seed %d), 64x64x3: train %d / validation %d from the "
                + "Fashion-MNIST training file, test %d from the test file", seed(3), set.train().size(),
                set.validation().size(), set.test().size());
    }
}
