package io.streamprop.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT) or SIGTERM into a request to stop that a command polls: the JVM's
 * shutdown hook sets the flag, then holds the JVM up to {@value #GRACE_SECONDS} seconds until
 * the command has {@linkplain #close() finished} cleaning up and printing its summary.
 */
final class StopSignal implements AutoCloseable {
    private static final long GRACE_SECONDS = 60;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    StopSignal(String command) {
        hook = new Thread(() -> {
            requested.set(true);
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "streamprop-" + command + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the process was asked to stop. */
    boolean requested() {
        return requested.get();
    }

    /** Asks the command to stop, as the signal would. */
    void request() {
        requested.set(true);
    }

    /** The command has finished: a pending shutdown may go on. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that finished is counted down
        }
    }
}
