package org.brainstate4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces a file atomically: the content is written to a temporary file in the same directory,
 * forced to disk, and renamed over the target with {@code ATOMIC_MOVE}. A reader of the target sees
 * either the previous complete file or the new complete file, whatever happens to the writer.
 *
 * <p>Temporary files are named {@code .<name>.tmp-<16 hex digits>} (hidden, never a name a reader
 * would open by mistake). The writer holds an exclusive {@link FileLock} on its temporary file
 * while it writes. On failure the temporary file is deleted. A process killed mid-write cannot
 * delete its own temporary file; the OS releases its lock, and the <b>next save to the same
 * target</b> deletes every {@code .<name>.tmp-*} file on which it can take the lock (a file whose
 * writer is alive in another process stays locked and is left alone; temporary files being written
 * by this JVM are never touched).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Temporary files this JVM is writing now (absolute paths). */
    private static final Set<Path> ACTIVE = ConcurrentHashMap.newKeySet();

    static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".tmp-";
    }

    /** Atomically replaces (or creates) {@code target} with {@code content}. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** Atomically replaces (or creates) {@code target} with what {@code writer} writes. */
    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null, "cannot save " + target + ": the directory does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot save " + target + ": it is a directory");
        }
        removeStaleTemps(absolute);

        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path temp = dir.resolve(tempPrefix(absolute) + HexFormat.of().formatHex(suffix));
        ACTIVE.add(temp);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is closed by the outer try
                    }
                };
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
        } finally {
            ACTIVE.remove(temp);
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // best effort; the next save removes it
                }
            }
        }
    }

    /** Deletes the leftover temporary files of earlier, interrupted saves to {@code target}. */
    static List<Path> removeStaleTemps(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        String prefix = tempPrefix(absolute);
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(absolute.getParent(), p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path candidate : files) {
                if (ACTIVE.contains(candidate) || !Files.isRegularFile(candidate)) continue;
                try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.tryLock();
                    if (lock == null) continue; // its writer is alive in another process
                    try {
                        Files.deleteIfExists(candidate);
                        removed.add(candidate);
                    } finally {
                        lock.release();
                    }
                } catch (OverlappingFileLockException | IOException e) {
                    // in use by this JVM, or vanished meanwhile: leave it
                }
            }
        } catch (IOException e) {
            // an unreadable directory: the save itself will report the real problem
        }
        return removed;
    }

    /** Makes the rename durable (POSIX); silently skipped where directories cannot be opened. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // e.g. Windows: directories cannot be opened as channels; the rename is still atomic
        }
    }
}
