package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * rapaio-jupyter-kernel 3.0.1's {@code LoopThread} (MIT licence, Aurelian Tutuianu) with two start-up
 * races fixed. tools/notebooks/setup.sh compiles this file and puts it on the kernel's class path
 * before the kernel jar, so it replaces the jar's class; nothing else of the kernel changes.
 *
 * <ul>
 *   <li>The original {@code start()} calls {@code super.start()} before {@code running = true}; when
 *       the new thread is scheduled first it sees {@code running == false} and ends at once. For the
 *       shell channel that is a kernel that binds its sockets and never answers Jupyter ("Kernel
 *       didn't respond in 60 seconds"): 6 of 20 starts on this 2-core machine. Here {@code running}
 *       is set first.</li>
 *   <li>{@code Channels.connect} starts the channel threads before it assigns its handler map, so a
 *       message that arrives first makes the shell's loop body throw a NullPointerException, which
 *       ended the thread the same way. Here an exception in the loop body is logged and the loop goes
 *       on; Jupyter repeats its first request every second until it is answered.</li>
 * </ul>
 * Unchanged in the kernel's sources up to 3.0.4.
 */
public final class LoopThread extends Thread {
    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, getName() + ": loop body failed, continuing", e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
