/**
 * The layers and their composition: each layer is an immutable description plus its named
 * parameters, and {@code apply(sd, x)} emits it as a named SameDiff subgraph.
 *
 * <ul>
 *   <li>Convolutions, one geometry for every rank and direction ({@link org.brainstate4j.nn.ConvSpec}):
 *       {@link org.brainstate4j.nn.Conv} ({@code Conv1d/2d/3d}),
 *       {@link org.brainstate4j.nn.ScaledWSConv} ({@code ScaledWSConv1d/2d/3d}, weight-standardized),
 *       {@link org.brainstate4j.nn.ConvTranspose} ({@code ConvTranspose1d/2d/3d}); their common base
 *       {@link org.brainstate4j.nn.ConvLayer} and {@link org.brainstate4j.nn.Padding}.</li>
 *   <li>{@link org.brainstate4j.nn.Linear} and {@link org.brainstate4j.nn.GroupNorm}.</li>
 *   <li>Composition: {@link org.brainstate4j.nn.Module}, {@link org.brainstate4j.nn.Network},
 *       {@link org.brainstate4j.nn.Ops} (shape-checked concat and friends),
 *       {@link org.brainstate4j.nn.Summary}, {@link org.brainstate4j.nn.Inference} (folded,
 *       inference-only graphs).</li>
 *   <li>Limits: {@link org.brainstate4j.nn.SizeLimits}.</li>
 * </ul>
 *
 * <p>Public for the other packages of brainstate4j rather than for users:
 * {@link org.brainstate4j.nn.ParameterDeclarations} and {@link org.brainstate4j.nn.ParameterizedLayer}
 * (what the DL4J layer configurations of {@link org.brainstate4j.dl4j} register and call) and
 * {@link org.brainstate4j.nn.WeightStandardization} (the transform, for the workaround canary and
 * the benchmarks). Everything else (how ops are emitted, input checks) is package-private.
 */
package org.brainstate4j.nn;
