package io.streamprop.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka broker in a separate OS process ({@code io.streamprop.cli.BrokerMain} on this JVM's
 * class path), with a fixed log directory and fixed ports, so that it can be killed and started
 * again on the same data at the same address. Crash tests use it.
 *
 * <p>{@link #start()} returns once the broker prints its address and answers a cluster
 * description. {@link #kill()} sends SIGKILL; {@link #close()} asks the broker to stop cleanly
 * and kills it if it does not within a few seconds. The log directory is never deleted.
 */
public final class BrokerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerProcess.class);
    /** The child JVM's entry point: named, not referenced, so that no class here needs the CLI. */
    static final String BROKER_MAIN = "io.streamprop.cli.BrokerMain";

    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int OUTPUT_LINES_KEPT = 40;

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(
            List.of("-Xmx256m", "-XX:+UseSerialGC"));
    private boolean autoCreateTopics;
    private Process process;

    /** A broker that will use this log directory and these two ports at every start. */
    public BrokerProcess(Path logDir, int port, int controllerPort) {
        this.logDir = Objects.requireNonNull(logDir, "logDir can't be null").toAbsolutePath();
        if (port <= 0 || controllerPort <= 0 || port == controllerPort) {
            throw new IllegalArgumentException("ports are " + port + " and " + controllerPort
                    + ", expected two different ports from 1 to 65535");
        }
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** A broker on this log directory and on two ports that are free now, kept for every start. */
    public static BrokerProcess withFreePorts(Path logDir) {
        int[] ports = LoopbackPorts.pickFree(2);
        return new BrokerProcess(logDir, ports[0], ports[1]);
    }

    /** Sets a broker property for the next starts, such as {@code message.max.bytes}. */
    public BrokerProcess brokerProperty(String name, String value) {
        brokerProperties.put(Objects.requireNonNull(name, "name can't be null"),
                Objects.requireNonNull(value, "value of " + name + " can't be null"));
        return this;
    }

    public BrokerProcess autoCreateTopics(boolean autoCreateTopics) {
        this.autoCreateTopics = autoCreateTopics;
        return this;
    }

    /** Replaces the child JVM's options; by default a 256 MB heap and the serial GC. */
    public BrokerProcess jvmOptions(List<String> options) {
        jvmOptions.clear();
        jvmOptions.addAll(options);
        return this;
    }

    public String bootstrapServers() {
        return LoopbackPorts.HOST + ":" + port;
    }

    public Path logDir() {
        return logDir;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The OS process id of the running broker. */
    public long pid() {
        requireAlive();
        return process.pid();
    }

    /** Starts the broker process and waits up to 60 s for it to be ready. */
    public void start() {
        start(DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts the broker process and waits for it to be ready. After a {@link #kill()} the broker
     * first waits for its old registration to expire, a few seconds.
     */
    public void start(Duration timeout) {
        if (isAlive()) {
            throw new IllegalStateException("Broker process " + process.pid() + " on "
                    + bootstrapServers() + " is still running, expected it stopped before start");
        }
        long startNanos = System.nanoTime();
        try {
            process = new ProcessBuilder(command()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch a broker process", e);
        }
        OutputWatcher watcher = new OutputWatcher(process, bootstrapServers());
        watcher.start();
        try {
            awaitAddressLine(watcher, timeout);
            awaitClusterDescription(timeout.minusNanos(System.nanoTime() - startNanos));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        log.info("Started Kafka broker process {} on {} in {} ms", process.pid(),
                bootstrapServers(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** Kills the broker with SIGKILL, as a crash would, and waits for the process to end. */
    public void kill() {
        requireAlive();
        long pid = process.pid();
        process.destroyForcibly();
        int status = waitForExit(STOP_TIMEOUT);
        log.info("Killed Kafka broker process {} on {} (exit status {})", pid, bootstrapServers(),
                status);
    }

    /** Stops the broker with SIGTERM, or SIGKILL if it has not stopped within 15 s. */
    @Override
    public void close() {
        if (!isAlive()) {
            return;
        }
        long pid = process.pid();
        process.destroy();
        try {
            int status = waitForExit(STOP_TIMEOUT);
            log.info("Stopped Kafka broker process {} on {} (exit status {})", pid,
                    bootstrapServers(), status);
        } catch (IllegalStateException e) {
            log.warn("Kafka broker process {} did not stop within {}; killing it", pid, STOP_TIMEOUT);
            process.destroyForcibly();
            waitForExit(STOP_TIMEOUT);
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BROKER_MAIN);
        command.add("--log-dir");
        command.add(logDir.toString());
        command.add("--port");
        command.add(String.valueOf(port));
        command.add("--controller-port");
        command.add(String.valueOf(controllerPort));
        command.add("--auto-create-topics");
        command.add(String.valueOf(autoCreateTopics));
        brokerProperties.forEach((name, value) -> {
            command.add("--broker-property");
            command.add(name + "=" + value);
        });
        return command;
    }

    private void awaitAddressLine(OutputWatcher watcher, Duration timeout) {
        try {
            watcher.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Broker process " + process.pid() + " did not print "
                    + bootstrapServers() + " within " + timeout + "; its last output:\n"
                    + watcher.lastLines(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker process", e);
        }
    }

    private void awaitClusterDescription(Duration timeout) {
        Duration remaining = timeout.isNegative() ? Duration.ofSeconds(1) : timeout;
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) remaining.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Broker process " + process.pid() + " on "
                    + bootstrapServers() + " did not describe its cluster within " + remaining, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker process", e);
        }
    }

    private int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Broker process " + process.pid()
                        + " still runs " + timeout + " after it was asked to stop");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker process", e);
        }
    }

    private void requireAlive() {
        if (!isAlive()) {
            throw new IllegalStateException("Broker process on " + bootstrapServers()
                    + " is not running, expected a started one");
        }
    }

    /**
     * Reads the child's output on a daemon thread, so that it never blocks on a full pipe; logs
     * each line at debug, keeps the last few for error messages and signals the address line.
     */
    private static final class OutputWatcher extends Thread {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final Process process;
        private final String addressLine;
        private final Deque<String> lastLines = new ArrayDeque<>();

        OutputWatcher(Process process, String addressLine) {
            super("kafka-broker-" + process.pid() + "-output");
            setDaemon(true);
            this.process = process;
            this.addressLine = addressLine;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.debug("[broker {}] {}", process.pid(), line);
                    remember(line);
                    if (line.equals(addressLine)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                log.debug("Stopped reading the output of broker process {}", process.pid(), e);
            }
            ready.completeExceptionally(new IllegalStateException("Broker process "
                    + process.pid() + " ended its output before it was ready; its last output:\n"
                    + lastLines()));
        }

        private synchronized void remember(String line) {
            if (lastLines.size() == OUTPUT_LINES_KEPT) {
                lastLines.removeFirst();
            }
            lastLines.addLast(line);
        }

        synchronized String lastLines() {
            return String.join("\n", lastLines);
        }
    }
}
