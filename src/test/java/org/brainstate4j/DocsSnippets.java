package org.brainstate4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Java snippets of the user guide ({@code docs/*.md}) kept as test code: every block of a test's
 * source between a {@code // docs:begin} line and a {@code // docs:end} line must be the text of the
 * page (whitespace aside), so the page shows what the test runs. (The README's snippets and those of
 * docs/layers.md and docs/training.md are checked the same way by {@code tools/consumer/check.sh}.)
 */
public final class DocsSnippets {
    private DocsSnippets() {}

    /**
     * Checks that each {@code docs:begin}/{@code docs:end} block of {@code test}'s source, with
     * {@code toPage} applied in order (regular expression to replacement: where the test writes a
     * temporary path, the page writes {@code Path.of(...)}), is in {@code page}; returns the number of blocks.
     */
    public static int assertBlocksInPage(Class<?> test, String page, Map<String, String> toPage) throws IOException {
        Path source = Path.of("src/test/java", test.getName().replace('.', '/') + ".java");
        String text = normalise(Files.readString(Path.of(page)));
        List<String> blocks = blocks(Files.readAllLines(source));
        assertTrue(!blocks.isEmpty(), source + " has no // docs:begin ... // docs:end block");
        for (String block : blocks) {
            String expected = block;
            for (Map.Entry<String, String> e : toPage.entrySet()) expected = expected.replaceAll(e.getKey(), e.getValue());
            assertTrue(text.contains(normalise(expected)), "a snippet of " + source + " is not the text of " + page
                    + " (change both together):\n" + expected);
        }
        return blocks.size();
    }

    private static List<String> blocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines) {
            String t = line.strip();
            if (t.equals("// docs:begin")) {
                block = new StringBuilder();
            } else if (t.equals("// docs:end")) {
                if (block != null) blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static String normalise(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
