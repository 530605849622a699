/**
 * The layers as DL4J layer configurations ({@code SameDiffLayer}s) for {@code MultiLayerNetwork} and
 * {@code ComputationGraph}: {@link org.brainstate4j.dl4j.Dl4jConv},
 * {@link org.brainstate4j.dl4j.Dl4jScaledWSConv}, {@link org.brainstate4j.dl4j.Dl4jConvTranspose},
 * {@link org.brainstate4j.dl4j.Dl4jGroupNorm} and {@link org.brainstate4j.dl4j.Dl4jLinear}, each
 * filling in the SameDiff layer's builder, so options, defaults, validation, parameters and the
 * emitted graph are that layer's. Fixes for three DL4J M2.1 faults:
 * {@link org.brainstate4j.dl4j.Dl4jCnnLossLayer}, {@link org.brainstate4j.dl4j.CloneSafeMergeVertex}
 * and {@link org.brainstate4j.dl4j.ScoreKeepingModelSaver}. The configurations' shared bases are
 * package-private; their setters and getters are bean properties for DL4J's JSON.
 */
package org.brainstate4j.dl4j;
