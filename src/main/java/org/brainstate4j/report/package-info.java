/**
 * PNG reports of training runs: loss/metric curves, confusion matrices, image grids (e.g. originals
 * against reconstructions) and segmentation overlays; see {@link org.brainstate4j.report.Plots}, and
 * {@link org.brainstate4j.report.Images} for turning ND4J arrays into pictures.
 *
 * <p>Everything renders headlessly ({@code java.awt.headless=true} is set when {@code Plots} loads unless
 * the property was already given) and every PNG is written atomically: to a temporary file in the target
 * directory, then moved over the target in one step, so a crash never leaves a half-written image.
 * Line charts use XChart; the confusion matrix, image grids and overlays are drawn with plain
 * {@code java.awt} (see {@link org.brainstate4j.report.Plots#confusionMatrix} for why).
 */
package org.brainstate4j.report;
