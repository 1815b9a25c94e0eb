package io.streamprop.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker inside this JVM: a single KRaft node that is broker and controller
 * at once, listening on {@value LoopbackPorts#HOST} only.
 *
 * <p>The log directory is either given, and then kept on {@link #close()} so that a later broker
 * can start on the same data, or temporary, and then deleted on {@link #close()}. A given
 * directory is formatted on first use and reused as it is afterwards.
 *
 * <p>Settings suit one node: every internal topic has one replica, the transaction log accepts
 * one in-sync replica, consumer groups rebalance without delay and the log cleaner's buffer is
 * small. Topics are not created on first use unless {@link Builder#autoCreateTopics(boolean)}
 * says so. Any broker property can be set or overridden with {@link Builder#brokerProperty}.
 *
 * <p>A fatal broker error ends the JVM through Kafka's exit procedure; a test JVM should replace
 * that procedure before starting a broker.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean temporaryLogDir;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, boolean temporaryLogDir,
                                int port) {
        this.server = server;
        this.logDir = logDir;
        this.temporaryLogDir = temporaryLogDir;
        this.port = port;
    }

    /** Starts a broker with default settings on free ports in a temporary log directory. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The address clients connect to, {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return LoopbackPorts.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Blocks until the broker has shut down, by {@link #close()} or after a fatal error. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /**
     * Shuts the broker down and waits for it; deletes the log directory if it was temporary.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporaryLogDir) {
                deleteRecursively(logDir);
            }
        }
        log.info("Stopped Kafka broker on {} in {} ms", bootstrapServers(), millisSince(startNanos));
    }

    private static EmbeddedKafkaBroker start(Builder builder) {
        long startNanos = System.nanoTime();
        int[] ports = resolvePorts(builder.port, builder.controllerPort);
        boolean temporary = builder.logDir == null;
        Path logDir = temporary ? createTemporaryLogDir() : createDirectories(builder.logDir);
        Properties properties = brokerProperties(builder, logDir, ports[0], ports[1]);
        KafkaRaftServer server = null;
        try {
            formatIfNew(logDir, properties);
            server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            abandon(server, temporary ? logDir : null);
            throw new IllegalStateException("Kafka broker failed to start on " + LoopbackPorts.HOST
                    + ":" + ports[0] + " with log directory " + logDir, e);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, logDir, temporary, ports[0]);
        log.info("Started Kafka broker on {} in {} ms (log directory {})",
                broker.bootstrapServers(), millisSince(startNanos), logDir);
        return broker;
    }

    private static int[] resolvePorts(int port, int controllerPort) {
        int[] free = LoopbackPorts.pickFree(2);
        int[] ports = {port == 0 ? free[0] : port, controllerPort == 0 ? free[1] : controllerPort};
        if (ports[0] == ports[1]) {
            throw new IllegalArgumentException("port and controller port are both " + ports[0]
                    + ", expected two different ports");
        }
        return ports;
    }

    private static Properties brokerProperties(Builder builder, Path logDir, int port, int controllerPort) {
        String host = LoopbackPorts.HOST;
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("listeners", BROKER_LISTENER + "://" + host + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + port);
        props.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", logDir.toString());

        // One node: one replica of everything, and one in-sync replica is enough.
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");

        // Few partitions for the internal topics: their creation is on the path of the first
        // consumer group and the first transaction.
        props.put("num.partitions", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", String.valueOf(builder.autoCreateTopics));

        // A small node: the cleaner's dedupe buffer defaults to 128 MB of heap.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");

        // After a crash, the restarted node waits for its old registration to expire.
        props.put("broker.session.timeout.ms", "3000");
        props.put("broker.heartbeat.interval.ms", "500");

        props.putAll(builder.extraProperties);
        return props;
    }

    private static void formatIfNew(Path logDir, Properties properties) {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            log.debug("Log directory {} is already formatted", logDir);
            return;
        }
        Path configFile = null;
        ByteArrayOutputStream toolOutput = new ByteArrayOutputStream();
        try {
            configFile = Files.createTempFile("streamprop-kafka-format-", ".properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                properties.store(out, "written to format " + logDir);
            }
            String[] args = {"format", "-t", Uuid.randomUuid().toString(),
                "-c", configFile.toString()};
            int status;
            try (PrintStream printed = new PrintStream(toolOutput, true, StandardCharsets.UTF_8)) {
                status = StorageTool.execute(args, printed);
            }
            String output = toolOutput.toString(StandardCharsets.UTF_8).trim();
            if (status != 0) {
                throw new IllegalStateException("Formatting log directory " + logDir
                        + " ended with status " + status + ", expected 0: " + output);
            }
            log.debug("Formatted log directory {}: {}", logDir, output);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the config to format " + logDir, e);
        } finally {
            deleteQuietly(configFile);
        }
    }

    private static void abandon(KafkaRaftServer server, Path temporaryLogDir) {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("Kafka broker that failed to start also failed to shut down", e);
            }
        }
        if (temporaryLogDir != null) {
            deleteRecursively(temporaryLogDir);
        }
    }

    private static Path createTemporaryLogDir() {
        try {
            return Files.createTempDirectory("streamprop-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary Kafka log directory", e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create Kafka log directory " + dir, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(EmbeddedKafkaBroker::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete temporary Kafka log directory {}", dir, e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not delete {}", path, e);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Settings of a broker to start; every one has a default. */
    public static final class Builder {
        private Path logDir;
        private int port;
        private int controllerPort;
        private boolean autoCreateTopics;
        private final Map<String, String> extraProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** A directory to keep the data in; by default a temporary one, deleted on close. */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir can't be null");
            return this;
        }

        /** The port clients connect to; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort("port", port);
            return this;
        }

        /** The port of the KRaft controller listener; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort("controllerPort", controllerPort);
            return this;
        }

        /** Whether producing to or fetching metadata of an unknown topic creates it; default false. */
        public Builder autoCreateTopics(boolean autoCreateTopics) {
            this.autoCreateTopics = autoCreateTopics;
            return this;
        }

        /** Sets or overrides one broker property, such as {@code message.max.bytes}. */
        public Builder brokerProperty(String name, String value) {
            extraProperties.put(Objects.requireNonNull(name, "name can't be null"),
                    Objects.requireNonNull(value, "value of " + name + " can't be null"));
            return this;
        }

        /** Sets or overrides several broker properties. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        public EmbeddedKafkaBroker start() {
            return EmbeddedKafkaBroker.start(this);
        }

        private static int checkPort(String name, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " is " + port + ", expected 0 to 65535");
            }
            return port;
        }
    }
}
