/**
 * The tutorial's networks: {@link org.brainstate4j.models.SimpleCNN},
 * {@link org.brainstate4j.models.ConvAutoencoder} and {@link org.brainstate4j.models.SimpleUNet},
 * each plain or weight-standardized with GroupNorm, as a SameDiff {@code Network} ({@code build()})
 * or as a DL4J configuration with the same initial weights ({@code toDl4j(...)}).
 */
package org.brainstate4j.models;
