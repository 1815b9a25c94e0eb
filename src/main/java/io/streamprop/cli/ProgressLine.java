package io.streamprop.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Progress of a long send on an error stream. On a terminal it is one line rewritten in place
 * (carriage return) a few times a second; elsewhere (a log file, a pipe) it is a new line every
 * few seconds. Other messages go through {@link #println} so that they do not mix with the line.
 */
final class ProgressLine {
    private static final long TERMINAL_EVERY_NANOS = 200_000_000L;
    private static final long LOG_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream err;
    private final boolean terminal;
    private final long total;
    private long startNanos = -1;
    private long lastNanos;
    private int lastLength;

    /**
     * @param terminal whether {@code err} is a terminal
     * @param total how many records will be sent, or -1 when unknown (then no percentage or ETA)
     */
    ProgressLine(PrintStream err, boolean terminal, long total) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
    }

    /**
     * Whether this process's standard error is a terminal. Where Linux tells (the target of
     * /proc/self/fd/2), that answers; elsewhere, whether the JVM has a console.
     */
    static boolean stderrIsTerminal() {
        Path stderr = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(stderr).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /**
     * Shows the counts if it is time to; cheap enough to call for every record. The first call
     * starts the clock of the rate and the ETA.
     */
    void update(long sent, long skipped) {
        long now = System.nanoTime();
        if (startNanos < 0) {
            startNanos = now;
            lastNanos = now;
        }
        if (now - lastNanos < (terminal ? TERMINAL_EVERY_NANOS : LOG_EVERY_NANOS)) {
            return;
        }
        lastNanos = now;
        String text = describe(sent, skipped, (now - startNanos) / 1e9);
        if (terminal) {
            err.print("\r" + pad(text));
            lastLength = text.length();
        } else {
            err.println(text);
        }
        err.flush();
    }

    /** Prints a message on its own line, above the progress line. */
    void println(String message) {
        if (terminal && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        err.println(message);
    }

    /** Ends the progress line, so that what follows starts on a line of its own. */
    void finish() {
        if (terminal && lastLength > 0) {
            err.println();
            lastLength = 0;
        }
    }

    String describe(long sent, long skipped, double seconds) {
        double rate = seconds > 0 ? sent / seconds : 0;
        StringBuilder text = new StringBuilder();
        if (total >= 0) {
            long done = sent + skipped;
            text.append(String.format("%5.1f%% %,d/%,d sent", total == 0 ? 100.0 : 100.0 * done / total, sent,
                    total));
        } else {
            text.append(String.format("%,d sent", sent));
        }
        text.append(String.format(", %,.0f/s", rate));
        if (skipped > 0) {
            text.append(String.format(", %,d skipped", skipped));
        }
        if (total > 0 && rate > 0) {
            long left = (long) Math.ceil(Math.max(0, total - sent - skipped) / rate);
            text.append(String.format(", ETA %d:%02d", left / 60, left % 60));
        }
        return text.toString();
    }

    private String pad(String text) {
        return text.length() >= lastLength ? text : text + " ".repeat(lastLength - text.length());
    }
}
