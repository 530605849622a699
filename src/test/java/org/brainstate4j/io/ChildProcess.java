package org.brainstate4j.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM on this JVM's class path, its stdout lines queued for the test. */
public final class ChildProcess implements AutoCloseable {
    public final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();
    private final Thread reader;

    private ChildProcess(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // process gone
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildProcess start(Class<?> main, Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Xmx1g");
        // The same native build as this JVM (outputs are compared bit for bit).
        String extension = System.getProperty("org.bytedeco.javacpp.platform.extension");
        if (extension != null) cmd.add("-Dorg.bytedeco.javacpp.platform.extension=" + extension);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        return new ChildProcess(pb.start());
    }

    /** The next line starting with {@code prefix} (others skipped), or an error with the output so far. */
    public String await(String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) throw new AssertionError("child did not print '" + prefix + "' in " + seconds + " s; output:\n" + output());
            if (line.startsWith(prefix)) return line;
        }
    }

    /**
     * For a child that prints {@code ready}, then {@code saved i in N ms} after each save: waits for
     * its second save and returns that (warm) save's duration in ms.
     */
    public long awaitWarmSaveMillis() throws InterruptedException {
        await("ready", 60);
        await("saved 0 ", 60);
        return Long.parseLong(await("saved 1 ", 60).replaceAll(".* in (\\d+) ms", "$1"));
    }

    /** The {@code i} of the last {@code saved i ...} line the child printed. */
    public int lastSaved() {
        List<String> saved = output().lines().filter(l -> l.startsWith("saved ")).toList();
        return Integer.parseInt(saved.get(saved.size() - 1).split(" ")[1]);
    }

    public String output() {
        synchronized (all) {
            return all.toString();
        }
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child still running after " + seconds + " s; output:\n" + output());
        }
        reader.join(TimeUnit.SECONDS.toMillis(seconds)); // all its output has been read
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
