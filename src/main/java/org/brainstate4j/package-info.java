/**
 * brainstate4j: BrainState's convolution layers for Deeplearning4j 1.0.0-M2.1 (SameDiff).
 *
 * <p>The API is in the subpackages: {@link org.brainstate4j.nn} (layers and composition),
 * {@link org.brainstate4j.nn.init} (initializers), {@link org.brainstate4j.dl4j} (the layers as DL4J
 * layer configurations), {@link org.brainstate4j.models} (the tutorial's networks),
 * {@link org.brainstate4j.io} (model files, inference and ONNX export, {@code .npz} exchange),
 * {@link org.brainstate4j.data} (the shipped data sets) and {@code org.brainstate4j.train}
 * (training glue). This package holds {@link org.brainstate4j.NativeBuilds} (the fastest of ND4J's
 * native builds this CPU runs) and two utilities every layer of the library shares, public only
 * because Java has no narrower scope across packages: {@link org.brainstate4j.Checks} (argument
 * checks whose messages name the argument, its value and the rule) and
 * {@link org.brainstate4j.AtomicFiles} (crash-safe file writes).
 *
 * <p>There is no module descriptor: ND4J 1.0.0-M2.1's own one is broken (see docs/architecture.md,
 * "What is public"), so the jar names its module with {@code Automatic-Module-Name} only, and
 * internals are package-private instead of unexported.
 */
package org.brainstate4j;
