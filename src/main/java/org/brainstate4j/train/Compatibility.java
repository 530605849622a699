package org.brainstate4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brainstate4j.io.InvalidModelFileException;

/**
 * Checks that a saved model file holds the model the user chose. A refusal is one line: what the
 * file holds and what was asked for, e.g. {@code models/cnn.bs4j: it holds a cnn model (SimpleCNN,
 * input 28x28x1); -m unet needs a unet model}. It never lists the file's metadata, which holds the
 * whole manifest entry (some 60 lines of JSON) of a model the trainer saved.
 */
final class Compatibility {
    /** The settings compared, in the order in which a refusal names the first that differs. */
    private static final List<String> ORDER = List.of("model", "width", "inputShape", "outputShape");

    private Compatibility() {}

    /** Every setting in {@code expected} must equal the file's metadata value. */
    static void require(Path file, Map<String, String> saved, Map<String, String> expected) throws InvalidModelFileException {
        List<String> keys = new ArrayList<>(ORDER);
        expected.keySet().stream().filter(k -> !ORDER.contains(k)).sorted().forEach(keys::add);
        for (String key : keys) {
            String wanted = expected.get(key);
            if (wanted != null && !wanted.equals(saved.get(key))) {
                throw new InvalidModelFileException(file, "it holds " + held(saved, key) + "; " + asked(expected, key));
            }
        }
    }

    /** What the file holds, in words: its model kind, network, width and input (and the differing setting). */
    private static String held(Map<String, String> saved, String differing) {
        String model = saved.get("model");
        if (model == null) {
            if ("inference".equals(saved.get("kind"))) {
                return "an inference export" + details(saved.get("module"), saved, differing) + ", not a trained model";
            }
            return "no model saved by train (its metadata has no model setting)";
        }
        return article(model) + " " + model + " model"
                + details(ModelKind.find(model).map(ModelKind::network).orElse(null), saved, differing);
    }

    private static String details(String network, Map<String, String> saved, String differing) {
        List<String> parts = new ArrayList<>();
        if (network != null) parts.add(network);
        String width = saved.get("width");
        if (width != null && !width.equals("-")) parts.add("width " + width);
        if (saved.get("inputShape") != null) parts.add("input " + shape(saved.get("inputShape")));
        if (differing.equals("outputShape")) parts.add("output " + shape(saved.get("outputShape")));
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** What was asked for, in the command line's terms. */
    private static String asked(Map<String, String> expected, String differing) {
        String model = expected.get("model");
        String option = model == null ? "the chosen model" : "-m " + model;
        return switch (differing) {
            case "model" -> option + " needs " + article(model) + " " + model + " model";
            case "width" -> option + " --width " + expected.get("width") + " needs width " + expected.get("width");
            case "inputShape" -> option + " needs input " + shape(expected.get("inputShape"));
            case "outputShape" -> option + " needs output " + shape(expected.get("outputShape"));
            default -> option + " needs " + differing + " " + expected.get(differing);
        };
    }

    /** {@code [28, 28, 1]} as {@code 28x28x1}; anything else as it is. */
    private static String shape(String text) {
        if (text == null) return "unknown";
        String inner = text.strip();
        if (!inner.matches("\\[\\s*\\d+(\\s*,\\s*\\d+)*\\s*]")) return text;
        return inner.substring(1, inner.length() - 1).replaceAll("\\s*,\\s*", "x").strip();
    }

    private static String article(String word) {
        // "a unet", "a unet-ws" (you-net), "an autoencoder"
        return word != null && !word.isEmpty() && "aeio".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }
}
