/**
 * What the layers need to know about a SameDiff graph and the native build while the graph is
 * built, before anything executes; no layer code.
 *
 * <p>{@link org.brainstate4j.graph.StaticShapes} gives the shape of any
 * {@link org.nd4j.autodiff.samediff.SDVariable} (including op outputs, for which
 * {@code SDVariable.getShape()} returns {@code null} in SameDiff 1.0.0-M2.1) so that layers can
 * validate their input's rank and per-sample shape at graph-construction time;
 * {@link org.brainstate4j.graph.PerGraph} keeps a value per graph; {@link org.brainstate4j.graph.NativeBackend}
 * says which OneDNN-build faults apply; {@link org.brainstate4j.graph.SameDiffNoise} drops SameDiff's
 * gradient-construction chatter from standard output.
 */
package org.brainstate4j.graph;
