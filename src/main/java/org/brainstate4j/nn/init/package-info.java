/**
 * Parameter initializers, as BrainState defines them: {@link org.brainstate4j.nn.init.XavierNormal}
 * (the convolutions' default), {@link org.brainstate4j.nn.init.KaimingNormal} ({@code Linear}'s),
 * {@link org.brainstate4j.nn.init.VarianceScaling}, {@link org.brainstate4j.nn.init.Normal} and
 * {@link org.brainstate4j.nn.init.Constant}; any {@link org.brainstate4j.nn.init.Initializer} can be
 * passed to a builder's {@code weightInit}/{@code biasInit}. {@link org.brainstate4j.nn.init.Seeds}
 * holds the global seed sequence layers draw from when they are given no seed.
 */
package org.brainstate4j.nn.init;
