/**
 * PNG reports of training runs: loss/metric curves, confusion matrices, image grids (e.g. originals
 * against reconstructions) and segmentation overlays; see {@link org.brainstate4j.report.Plots}, and
 * {@link org.brainstate4j.report.Images} for turning ND4J arrays into pictures.
 *
 * <p>Everything renders headlessly ({@code java.awt.headless=true} is set when {@code Plots} loads unless
 * the property was already given) and every PNG is written atomically: to a temporary file in the target
 * directory, then moved over the target in one step, so a crash never leaves a half-written image.
 * Everything is drawn with plain {@code java.awt}, so each renderer controls its layout and exposes it to
 * the tests: line charts put a metric in its own panel rather than on a second y axis, and every axis in
 * use gets a title and labelled ticks ({@link org.brainstate4j.report.YAxis}). XChart, used for the line
 * charts before, drew a second y axis without tick labels; {@link org.brainstate4j.report.Plots#confusionMatrix}
 * says why its heatmap was not used either.
 */
package org.brainstate4j.report;
