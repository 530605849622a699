/**
 * PNG reports of training runs: loss/metric curves, confusion matrices, image grids (e.g. originals
 * against reconstructions) and segmentation overlays; see {@link org.brainstate4j.report.Plots}, and
 * {@link org.brainstate4j.report.Images} for turning ND4J arrays into pictures.
 *
 * <p>Everything renders headlessly ({@code java.awt.headless=true} is set when {@code Plots} loads unless
 * the property was already given) and every PNG is written atomically: to a temporary file in the target
 * directory, then moved over the target in one step, so a crash never leaves a half-written image.
 * Line charts are drawn by XChart, one chart per panel: a metric gets a panel of its own beside the loss
 * rather than XChart's second y axis (whose ticks XChart computes from every series, so it had no labels),
 * and every axis in use gets a title and labelled ticks ({@link org.brainstate4j.report.YAxis}). The other
 * pictures are drawn with plain {@code java.awt}; {@link org.brainstate4j.report.Plots#confusionMatrix} says
 * why XChart's heatmap was not used.
 */
package org.brainstate4j.report;
