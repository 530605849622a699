package org.brainstate4j.train;

import java.io.IOException;
import java.nio.file.Path;
import org.brainstate4j.data.FashionMnist;
import org.brainstate4j.data.LabelledImages;
import org.brainstate4j.models.SimpleCNN;
import org.brainstate4j.nn.Module;
import org.brainstate4j.report.Plots;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * SimpleCNN (plain or weight-standardized) on Fashion-MNIST: 55,000 training images, the last 5,000
 * of the training file for validation, the 10,000 test images for the reported accuracy.
 */
final class ClassificationExperiment extends Experiment {
    static final int VALIDATION_SIZE = 5_000;
    private LabelledImages train;
    private LabelledImages validation;
    private LabelledImages test;

    ClassificationExperiment(TrainingOptions options) {
        super(options);
    }

    @Override
    void loadData() throws IOException {
        LabelledImages.TrainValidation split = FashionMnist.train(options.dataDir()).holdOutLast(VALIDATION_SIZE);
        train = options.trainLimit() > 0 ? split.train().first(Math.min(options.trainLimit(), split.train().size()))
                : split.train();
        validation = split.validation();
        test = FashionMnist.test(options.dataDir());
    }

    @Override
    public Module buildModel() {
        return SimpleCNN.builder().inSize(inputShape()).numClasses(FashionMnist.NUM_CLASSES)
                .weightStandardized(options.kind().weightStandardized()).seed(seed(1)).build();
    }

    @Override
    public long[] inputShape() {
        return new long[] {FashionMnist.ROWS, FashionMnist.COLS, 1};
    }

    @Override
    long[] labelShape() {
        return new long[] {FashionMnist.NUM_CLASSES};
    }

    @Override
    SDVariable loss(SameDiff sd, SDVariable label, SDVariable output) {
        return sd.loss().softmaxCrossEntropy(LOSS, label, output, null);
    }

    @Override
    String lossAxisTitle() {
        return "loss (softmax cross-entropy per image)";
    }

    @Override
    boolean metricIsFraction() {
        return true;
    }

    @Override
    DataSetIterator trainIterator() {
        return train.iterator(options.batchSize(), true, seed(2));
    }

    @Override
    DataSetIterator validationIterator() {
        return validation.iterator(256, false, 0);
    }

    @Override
    DataSetIterator testIterator() {
        return test.iterator(256, false, 0);
    }

    @Override
    int trainSize() {
        return train.size();
    }

    @Override
    Evaluation evaluate(SameDiff sd, DataSetIterator data) {
        long[][] counts = Evaluations.confusion(sd, data, FashionMnist.NUM_CLASSES);
        return new Evaluation("accuracy", Metrics.accuracy(counts), true, counts, Metrics.recall(counts),
                FashionMnist.CLASS_NAMES, Evaluations.total(counts));
    }

    @Override
    void writePictures(Path dir, SameDiff sd, Evaluation test) throws IOException {
        Plots.confusionMatrix(dir.resolve("confusion-matrix.png"), test.confusion(), test.classNames(),
                "Fashion-MNIST test set, " + options.kind().cliName());
    }

    @Override
    String dataDescription() {
        return String.format("Fashion-MNIST: train %d (first %d of the training file), validation %d (its last %d), test %d",
                train.size(), train.size(), validation.size(), VALIDATION_SIZE, test.size());
    }
}
