package io.streamprop.cli;

import io.streamprop.app.LearnerApp;
import io.streamprop.broker.EmbeddedKafkaBroker;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.Topics;
import io.streamprop.topology.ModelSpec;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the demo runs on, in this JVM and in temporary directories: an embedded Kafka
 * broker, Streamprop's topics and one learner. Closing it stops the learner, then the broker,
 * and deletes their data.
 */
final class DemoCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoCluster.class);
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedKafkaBroker broker;
    private final Path stateDir;
    private final StreampropConfig config;
    private LearnerApp learner;

    private DemoCluster(EmbeddedKafkaBroker broker, Path stateDir, long commitIntervalMs) {
        this.broker = broker;
        this.stateDir = stateDir;
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamprop-demo");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(commitIntervalMs));
        settings.put(StreampropConfig.PARTIAL_BATCH_WAIT_MS, "1000");
        // a free port, so that a demo never clashes with a learner already running here
        settings.put(StreampropConfig.HTTP_PORT, "0");
        this.config = StreampropConfig.of(settings);
    }

    /**
     * Starts the broker, creates the topics and starts the learner, waiting until it runs.
     *
     * @param commitIntervalMs the learner's commit interval: how soon predictions can be read
     *        (read_committed), against how much of its time the learner waits for commits
     */
    static DemoCluster start(long commitIntervalMs) throws InterruptedException {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("streamprop-demo-state-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a state directory for the demo's learner", e);
        }
        DemoCluster cluster = new DemoCluster(EmbeddedKafkaBroker.start(), stateDir, commitIntervalMs);
        try {
            try (TopicCreator creator = TopicCreator.connect(cluster.bootstrapServers(), Map.of(), TIMEOUT)) {
                creator.createMissing(Topics.all());
            }
            cluster.learner = new LearnerApp(cluster.config).start();
            if (!cluster.learner.awaitRunning(TIMEOUT)) {
                throw new IllegalStateException("the demo's learner did not start within " + TIMEOUT);
            }
            return cluster;
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    StreampropConfig config() {
        return config;
    }

    LearnerApp learner() {
        return learner;
    }

    /** Puts a model's spec on the models topic and waits for the snapshot of its creation. */
    void createModel(String model, ModelSpec spec) {
        try (CommittedReader snapshots = new CommittedReader(bootstrapServers(), config.snapshotsTopic(), TIMEOUT);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.modelsTopic(), model, spec.toJsonBytes()));
            producer.flush();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : snapshots.poll(Duration.ofMillis(100))) {
                    if (model.equals(record.key())) {
                        log.info("Model {} created: {}", model, spec.network().layers());
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("the learner did not create model '" + model + "' within " + TIMEOUT);
    }

    /** How many committed dead letters there are. */
    long deadLetters() {
        try (CommittedReader reader = new CommittedReader(bootstrapServers(), config.deadLettersTopic(), TIMEOUT)) {
            return reader.readToEnd(TIMEOUT).size();
        }
    }

    @Override
    public void close() {
        try {
            if (learner != null) {
                learner.close();
            }
        } finally {
            broker.close();
            deleteRecursively(stateDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.debug("Could not delete {}", path, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete the demo's state directory {}", dir, e);
        }
    }
}
