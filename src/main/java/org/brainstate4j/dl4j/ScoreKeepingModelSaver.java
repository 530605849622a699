package org.brainstate4j.dl4j;

import static org.brainstate4j.Checks.checkArgument;

import java.io.IOException;
import org.deeplearning4j.earlystopping.EarlyStoppingModelSaver;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * An early-stopping model saver whose best model still knows its score. In 1.0.0-M2.1, when an
 * epoch termination condition ends the run, {@code BaseEarlyStoppingTrainer.fit} replaces the best
 * score it tracked with {@code getBestModel().score()}; a saved model is a clone
 * ({@link InMemoryModelSaver}) or a file ({@code LocalFileModelSaver}), whose {@code score()} is 0,
 * so {@code EarlyStoppingResult.getBestModelScore()} reads 0 for every network, while the scores the
 * termination conditions saw ({@code getScoreVsEpoch()}) are real. This saver wraps another one,
 * remembers the score it was given with the best model, and puts it back into the model it returns
 * ({@code setScore}), so the result reports the real best validation score.
 */
public final class ScoreKeepingModelSaver<T extends Model> implements EarlyStoppingModelSaver<T> {
    private static final long serialVersionUID = 1L;
    private final EarlyStoppingModelSaver<T> saver;
    private double bestScore = Double.NaN;
    private double latestScore = Double.NaN;

    public ScoreKeepingModelSaver(EarlyStoppingModelSaver<T> saver) {
        checkArgument(saver != null, "ScoreKeepingModelSaver: saver (=%s) must be given", saver);
        this.saver = saver;
    }

    /** Wraps an {@link InMemoryModelSaver}. */
    public static <T extends Model> ScoreKeepingModelSaver<T> inMemory() {
        return new ScoreKeepingModelSaver<>(new InMemoryModelSaver<>());
    }

    @Override
    public void saveBestModel(T net, double score) throws IOException {
        saver.saveBestModel(net, score);
        bestScore = score;
    }

    @Override
    public void saveLatestModel(T net, double score) throws IOException {
        saver.saveLatestModel(net, score);
        latestScore = score;
    }

    @Override
    public T getBestModel() throws IOException {
        return withScore(saver.getBestModel(), bestScore);
    }

    @Override
    public T getLatestModel() throws IOException {
        return withScore(saver.getLatestModel(), latestScore);
    }

    private static <T extends Model> T withScore(T model, double score) {
        if (model == null || Double.isNaN(score)) return model;
        if (model instanceof MultiLayerNetwork m) m.setScore(score);
        else if (model instanceof ComputationGraph g) g.setScore(score);
        return model;
    }
}
