package io.streamprop.cli;

import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How a command reaches the cluster and which topics it uses, from {@code --bootstrap-servers}
 * and {@code --config FILE}. The file is the learner's own kind (see {@code ops/learner.properties}),
 * so the tool and the learner agree: its security and other client settings reach the tool's
 * clients, and its {@code streamprop.topic.*} settings name the topics.
 */
final class KafkaConnection {
    static final String BOOTSTRAP_SERVERS = "bootstrap-servers";
    static final String CONFIG = "config";
    static final String TIMEOUT_SECONDS = "timeout-seconds";
    /** The options of every command that talks to a cluster. */
    static final Set<String> OPTIONS = Set.of(BOOTSTRAP_SERVERS, CONFIG, TIMEOUT_SECONDS);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Lines for a command's usage describing {@link #OPTIONS}. */
    static final String OPTIONS_HELP = Options.help("--bootstrap-servers HOST:PORT",
            "the cluster; required unless --config sets bootstrap.servers")
            + Options.help("--config FILE", "a properties file like ops/learner.properties: its client settings\n"
                    + "(security included) and streamprop.topic.* names apply")
            + Options.help("--timeout-seconds N", "how long to wait for the cluster (default "
                    + DEFAULT_TIMEOUT.toSeconds() + ")");

    /** Prefixes by which a learner's file addresses one kind of client only. */
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.TOPIC_PREFIX);

    private final StreampropConfig config;
    private final Properties kafkaSettings;
    private final String bootstrapServers;
    private final Duration timeout;

    private KafkaConnection(StreampropConfig config, String bootstrapServers, Duration timeout) {
        this.config = config;
        this.kafkaSettings = config.streamsProperties();
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** The connection that the options describe, waiting {@code --timeout-seconds} for the cluster. */
    static KafkaConnection from(Options options) throws UsageException {
        return from(options, Duration.ofSeconds(options.longValue(TIMEOUT_SECONDS, DEFAULT_TIMEOUT.toSeconds(), 1)));
    }

    /** The connection that the options describe, waiting {@code timeout} for the cluster. */
    static KafkaConnection from(Options options, Duration timeout) throws UsageException {
        StreampropConfig config = options.has(CONFIG) ? load(Path.of(options.text(CONFIG)))
                : StreampropConfig.of(Map.of());
        String bootstrap = options.has(BOOTSTRAP_SERVERS) ? options.text(BOOTSTRAP_SERVERS)
                : config.streamsProperties().getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new UsageException(options.has(CONFIG)
                    ? options.text(CONFIG) + " does not set bootstrap.servers; give --bootstrap-servers HOST:PORT"
                    : "--bootstrap-servers HOST:PORT is required (or a --config FILE that sets bootstrap.servers)");
        }
        return new KafkaConnection(config, bootstrap.trim(), timeout);
    }

    private static StreampropConfig load(Path file) throws UsageException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException("cannot read the --config file " + file);
        }
        try {
            return StreampropConfig.load(file);
        } catch (IOException e) {
            throw new UsageException("cannot read the --config file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    /** The topic names and Streamprop settings. */
    StreampropConfig config() {
        return config;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Duration timeout() {
        return timeout;
    }

    /** Settings of an Admin client; bootstrap servers and timeouts are set by the caller. */
    Map<String, Object> adminSettings() {
        return clientSettings(StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames());
    }

    /** A consumer of raw bytes outside any group, reading only committed records. */
    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> settings = clientSettings(StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "streamprop-cli");
        int timeoutMs = timeoutMillis();
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A producer of raw bytes that waits for all in-sync replicas, compresses with zstd unless
     * told otherwise, and gives up on a record after the timeout.
     */
    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> settings = clientSettings(StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "streamprop-cli");
        int timeoutMs = timeoutMillis();
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        // at least linger.ms + request.timeout.ms, which the producer checks
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 1000);
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one record with a new producer and waits until the cluster has taken it. */
    RecordMetadata send(String topic, String key, byte[] value) throws CommandFailure {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(CommandFailure.FAILED, "interrupted before " + topic + " took the record", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw unanswered("send to " + topic, timeout);
            }
            throw new CommandFailure(CommandFailure.FAILED, topic + " refused the record: "
                    + CommandFailure.messageWithCauses(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw unanswered("send to " + topic, e);
        }
    }

    /** The failure to report when the cluster did not answer in time while doing {@code what}. */
    CommandFailure unanswered(String what, Exception cause) {
        return new CommandFailure(CommandFailure.FAILED, "the Kafka cluster at " + bootstrapServers
                + " did not answer within " + timeout.toSeconds() + " s while trying to " + what
                + "; check --bootstrap-servers, and --config for a secured cluster (" + cause.getMessage() + ")",
                cause);
    }

    /**
     * The settings of the file for one kind of client: the unprefixed ones except those only
     * Kafka Streams knows, then those with the client's prefix, which win.
     */
    private Map<String, Object> clientSettings(String ownPrefix, Set<String> clientNames) {
        Map<String, Object> settings = new HashMap<>();
        Map<String, Object> own = new HashMap<>();
        Set<String> streamsNames = StreamsConfig.configDef().names();
        for (String name : kafkaSettings.stringPropertyNames()) {
            String value = kafkaSettings.getProperty(name);
            String prefix = CLIENT_PREFIXES.stream().filter(name::startsWith).findFirst().orElse(null);
            if (prefix != null) {
                if (prefix.equals(ownPrefix)) {
                    own.put(name.substring(prefix.length()), value);
                }
            } else if (clientNames.contains(name) || !streamsNames.contains(name)) {
                settings.put(name, value);
            }
        }
        settings.putAll(own);
        return settings;
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE - 1000, timeout.toMillis());
    }
}
