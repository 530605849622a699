package org.brainstate4j.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The trained models as committed (git's HEAD), whatever training has since left in the working
 * tree's {@code models/}: the main job ({@code tools/brainstate4j}) and every {@code train} command
 * replace {@code models/<model>.bs4j} and its manifest entry, so a test about the committed models
 * (their recorded numbers, the examples of docs/command-line.md, full runs only) reads them from here.
 *
 * <p>{@link #dir()} is {@code models/} itself while it is unchanged from HEAD (a fresh clone, as in
 * CI), else a copy of HEAD's {@code models/} extracted with git under
 * {@code target/committed-models/<tree id>/}. Outside a git checkout (or without git) there is no
 * telling the committed models from retrained ones: a test that needs them is then skipped, saying why.
 */
public final class CommittedModels {
    private static final Path MODELS = Path.of("models");
    private static Path dir;
    private static String unavailable;

    private CommittedModels() {}

    /** The directory holding {@code models/} as committed; skips the calling test outside a git checkout. */
    public static Path dir() {
        Optional<Path> found = find();
        Assumptions.assumeTrue(found.isPresent(), unavailable);
        return found.get();
    }

    /** The directory holding {@code models/} as committed, or empty outside a git checkout. */
    public static synchronized Optional<Path> find() {
        if (dir == null && unavailable == null) {
            try {
                dir = resolve();
            } catch (IOException e) {
                unavailable = "the committed models cannot be told from retrained ones: " + e.getMessage();
            }
        }
        return Optional.ofNullable(dir);
    }

    /** The committed {@code models/<name>}. */
    public static Path file(String name) {
        return dir().resolve(name);
    }

    /** Whether the working tree's {@code models/} is exactly HEAD's (no file changed, added or removed). */
    public static boolean unchanged() {
        return dir().equals(MODELS);
    }

    private static Path resolve() throws IOException {
        String tree = text(git("rev-parse", "HEAD:models")).strip();
        if (text(git("status", "--porcelain", "--untracked-files=all", "--", "models")).isBlank()) return MODELS;
        Path target = Path.of("target", "committed-models", tree);
        if (Files.isDirectory(target)) return target;
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempDirectory(target.getParent(), tree + ".partial-");
        for (String name : text(git("ls-tree", "--name-only", "HEAD:models")).lines().toList()) {
            Files.write(partial.resolve(name), git("cat-file", "blob", "HEAD:models/" + name));
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(target)) throw e;
            deleteTree(partial); // another JVM extracted the same tree first
        }
        return target;
    }

    private static byte[] git(String... args) throws IOException {
        List<String> command = Stream.concat(Stream.of("git"), Stream.of(args)).toList();
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IOException("cannot run git (" + e.getMessage() + ")", e);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> copy(p.getErrorStream(), err));
        drain.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            int status = p.waitFor();
            drain.join();
            if (status != 0) {
                throw new IOException(String.join(" ", command) + " exited " + status + ": "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        return out;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
