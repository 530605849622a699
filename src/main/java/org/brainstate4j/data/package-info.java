/**
 * Real data for training and tests, read from files in the repository (no downloads).
 *
 * <ul>
 *   <li>the IDX format (gzipped or raw), read with strict checks by a package-private reader;
 *       defects are {@link org.brainstate4j.data.InvalidDataFileException}s naming the file.</li>
 *   <li>{@link org.brainstate4j.data.FashionMnist}: Fashion-MNIST from {@code data/fashion-mnist/}
 *       as {@link org.brainstate4j.data.LabelledImages} (NHWC {@code [n,28,28,1]} float32 features,
 *       one-hot {@code [n,10]} labels, seeded shuffling, hold-out validation splits, subsets).</li>
 *   <li>{@link org.brainstate4j.data.SegmentationSet}: semantic-segmentation canvases composed from
 *       real Fashion-MNIST garments, with per-pixel labels in a configurable
 *       {@link org.brainstate4j.data.Taxonomy}.</li>
 * </ul>
 */
package org.brainstate4j.data;
