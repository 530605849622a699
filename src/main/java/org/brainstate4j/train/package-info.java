/**
 * Training-time helpers for SameDiff.
 *
 * <p>{@link org.brainstate4j.train.Training#fit Training.fit} is SameDiff's own {@code fit} with the
 * real loss in its {@code History} and listeners (DL4J 1.0.0-M2.1 reports 0).
 *
 * <p>{@link org.brainstate4j.train.ProgressListener} is a SameDiff
 * {@link org.nd4j.autodiff.listeners.Listener} that draws one progress bar per epoch (ETA, smoothed
 * loss, samples/s) on standard error and records per-iteration loss and per-epoch mean loss and wall
 * time, so a caller can plot curves ({@link org.brainstate4j.report.Plots}) and report time per epoch:
 *
 * <pre>{@code
 * ProgressListener progress = new ProgressListener(trainIter, epochs);
 * History h = Training.fit(sd, trainIter, epochs, progress);
 * double[] perIteration = progress.iterationLosses();
 * List<ProgressListener.EpochStats> perEpoch = progress.epochs();
 * }</pre>
 */
package org.brainstate4j.train;
