/**
 * Saving and loading: whole trained graphs and parameter exchange with NumPy.
 *
 * <ul>
 *   <li>{@link org.brainstate4j.io.ModelFile}: one checked file (ZIP: {@code manifest.json} +
 *       SameDiff FlatBuffers {@code graph.fb}, SHA-256 trailer) with graph, parameters and optionally
 *       updater state; atomic saves; damaged, truncated, foreign or newer-format files are refused
 *       with an {@link org.brainstate4j.io.InvalidModelFileException} naming the file.</li>
 *   <li>{@link org.brainstate4j.io.Npz}: NumPy {@code .npz}/{@code .npy} reading and writing
 *       (float32/float64, keys such as {@code enc1/weight}, compressed archives).</li>
 *   <li>{@link org.brainstate4j.io.ParameterExchange}: a module's parameters to and from
 *       {@code .npz}, all-or-nothing with exact name and shape checks.</li>
 * </ul>
 */
package org.brainstate4j.io;
