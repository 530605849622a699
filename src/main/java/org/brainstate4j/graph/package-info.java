/**
 * Helpers that look at a SameDiff graph while it is being built, before anything executes.
 *
 * <p>{@link org.brainstate4j.graph.StaticShapes} infers the static shape of any
 * {@link org.nd4j.autodiff.samediff.SDVariable} (including op outputs, for which
 * {@code SDVariable.getShape()} returns {@code null} in SameDiff 1.0.0-M2.1) so that layers can
 * validate their input's rank and per-sample shape at graph-construction time.
 */
package org.brainstate4j.graph;
