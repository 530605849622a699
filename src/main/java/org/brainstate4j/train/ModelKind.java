package org.brainstate4j.train;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The models the main job can train, with the data and the defaults each is trained with. */
public enum ModelKind {
    CNN("cnn", "SimpleCNN on Fashion-MNIST (classification)", 10, 64, 1e-3),
    CNN_WS("cnn-ws", "SimpleCNN with ScaledWSConv2d + GroupNorm on Fashion-MNIST", 5, 64, 1e-3),
    AUTOENCODER("autoencoder", "ConvAutoencoder on the composed 64x64 garment canvases (reconstruction)", 8, 32, 1e-3),
    UNET("unet", "SimpleUNet on the composed garment segmentation set", 7, 16, 2e-3),
    UNET_WS("unet-ws", "SimpleUNet with ScaledWSConv2d + GroupNorm on the segmentation set", 2, 16, 2e-3);

    private final String cliName;
    private final String description;
    private final int defaultEpochs;
    private final int defaultBatchSize;
    private final double defaultLearningRate;

    ModelKind(String cliName, String description, int defaultEpochs, int defaultBatchSize, double defaultLearningRate) {
        this.cliName = cliName;
        this.description = description;
        this.defaultEpochs = defaultEpochs;
        this.defaultBatchSize = defaultBatchSize;
        this.defaultLearningRate = defaultLearningRate;
    }

    public String cliName() { return cliName; }
    public String description() { return description; }
    public int defaultEpochs() { return defaultEpochs; }
    public int defaultBatchSize() { return defaultBatchSize; }
    public double defaultLearningRate() { return defaultLearningRate; }

    boolean weightStandardized() { return this == CNN_WS || this == UNET_WS; }

    /** The kind named {@code name} on the command line. */
    public static ModelKind fromCliName(String name) {
        for (ModelKind k : values()) {
            if (k.cliName.equals(name)) return k;
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; choose one of " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(ModelKind::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
