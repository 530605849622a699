package org.brainstate4j.train;

import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.records.History;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Training your own SameDiff graph with SameDiff's own {@code fit}, with the real loss in its
 * {@link History} and in every listener. Use it where you would call {@code sd.fit(data, epochs,
 * listeners)}: on DL4J 1.0.0-M2.1 that call trains the parameters but reports every loss as 0
 * ({@code FitLossWorkaround} in this package says why, and how this fixes it).
 *
 * <pre>{@code
 * sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
 *         .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());
 * History history = Training.fit(sd, train, 3, new ProgressListener(train, 3));
 * float[] meanLossPerEpoch = history.lossCurve().meanLoss("loss");
 * }</pre>
 *
 * The graph needs a {@code TrainingConfig} with a feature and a label mapping and at least one loss
 * variable ({@code sd.loss()} ops register themselves; else {@code markAsLoss()}).
 */
public final class Training {
    private Training() {}

    /**
     * Trains {@code sd} for {@code epochs} passes over {@code data} and returns SameDiff's history of
     * them, loss curve included. The graph's training configuration is left as it was found.
     *
     * @throws IllegalArgumentException if an argument is null, {@code epochs < 1}, the graph has no
     *                                  training configuration, no label mapping or no loss variable
     */
    public static History fit(SameDiff sd, DataSetIterator data, int epochs, Listener... listeners) {
        if (sd == null) throw new IllegalArgumentException("sd must not be null");
        if (data == null) throw new IllegalArgumentException("data must not be null");
        if (epochs < 1) throw new IllegalArgumentException("epochs (=" + epochs + ") must be at least 1");
        if (sd.getTrainingConfig() == null) {
            throw new IllegalArgumentException("sd has no TrainingConfig: call sd.setTrainingConfig(...) first");
        }
        if (sd.getLossVariables() == null || sd.getLossVariables().isEmpty()) {
            throw new IllegalArgumentException("sd has no loss variable: use an sd.loss() op or markAsLoss()");
        }
        Listener[] all = listeners == null ? new Listener[0] : listeners;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) throw new IllegalArgumentException("listeners[" + i + "] must not be null");
        }
        try (FitLossWorkaround ignored = FitLossWorkaround.install(sd)) {
            return sd.fit(data, epochs, all);
        }
    }
}
