package org.brainstate4j.train;

import java.util.Arrays;
import java.util.Optional;
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

    /** The network this kind trains, in words: "SimpleCNN", "SimpleUNet with ScaledWSConv2d + GroupNorm", ... */
    String network() {
        return switch (this) {
            case CNN -> "SimpleCNN";
            case CNN_WS -> "SimpleCNN with ScaledWSConv2d + GroupNorm";
            case AUTOENCODER -> "ConvAutoencoder";
            case UNET -> "SimpleUNet";
            case UNET_WS -> "SimpleUNet with ScaledWSConv2d + GroupNorm";
        };
    }

    /** The kind named {@code name} on the command line. */
    public static ModelKind fromCliName(String name) {
        return find(name).orElseThrow(
                () -> new IllegalArgumentException("unknown model '" + name + "'; choose one of " + names()));
    }

    /** The kind named {@code name} on the command line, if there is one. */
    static Optional<ModelKind> find(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(ModelKind::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
