package io.streamprop.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The learner as a separate JVM ({@code streamprop run --config FILE}) on this test's classpath,
 * so that a test can kill it with SIGKILL and start it again on the same state directory.
 */
final class LearnerProcess implements AutoCloseable {
    private final Path config;
    private final Path logFile;
    private Process process;

    LearnerProcess(Map<String, String> settings, Path workDir) {
        try {
            Files.createDirectories(workDir);
            config = workDir.resolve("learner.properties");
            logFile = workDir.resolve("learner.log");
            Properties p = new Properties();
            p.putAll(settings);
            try (OutputStream out = Files.newOutputStream(config)) {
                p.store(out, "written by " + LearnerProcess.class.getSimpleName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "io.streamprop.cli.Streamprop", "run", "--config", config.toString());
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the learner process", e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("learner process survived SIGKILL");
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** SIGTERM, which lets the learner close cleanly; SIGKILL if it has not ended in 40 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
