package org.brainstate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package structure of src/main/java, read from its import statements: every package sits in one
 * layer of {@link #LAYERS} and imports only packages of lower layers, so there are no cycles and no
 * upward imports. A new package must be placed here.
 */
class PackageLayersTest {
    /** Lowest first; "" is org.brainstate4j itself (Checks, AtomicFiles). */
    static final List<String> LAYERS = List.of(
            "", "nn.init", "graph", "report", "nn", "dl4j", "models", "onnx", "io", "data", "train", "cli");

    private static final Path SOURCES = Path.of("src/main/java/org/brainstate4j");
    private static final Pattern IMPORT = Pattern.compile(
            "^import\\s+(?:static\\s+)?org\\.brainstate4j\\.((?:[a-z0-9_]+\\.)*)[A-Z]", Pattern.MULTILINE);

    private static String packageOf(Path file) {
        Path dir = SOURCES.relativize(file.getParent());
        return dir.toString().replace('/', '.');
    }

    @Test
    void everyImportPointsToALowerLayer() throws IOException {
        List<String> violations = new ArrayList<>();
        TreeSet<String> unplaced = new TreeSet<>();
        int imports = 0;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String from = packageOf(file);
                int fromLayer = LAYERS.indexOf(from);
                if (fromLayer < 0) {
                    unplaced.add(from);
                    continue;
                }
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
                    imports++;
                    if (to.equals(from)) continue;
                    int toLayer = LAYERS.indexOf(to);
                    if (toLayer < 0) unplaced.add(to);
                    else if (toLayer > fromLayer) violations.add(SOURCES.relativize(file) + " imports org.brainstate4j." + to);
                }
            }
        }
        assertTrue(unplaced.isEmpty(), "packages not placed in PackageLayersTest.LAYERS: " + unplaced);
        assertTrue(imports > 100, "found only " + imports + " imports of org.brainstate4j: is " + SOURCES + " there?");
        assertEquals(List.of(), violations, "upward imports (layers, lowest first: " + LAYERS + ")");
    }
}
