package io.streamprop.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.TopicDefinition;
import io.streamprop.topics.Topics;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A learner on the shared test cluster with topics of its own (uniquely named, so tests do not
 * see each other's records), a producer for its inputs and read_committed readers of its outputs.
 */
final class LearnerFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    final String bootstrap = KafkaCluster.bootstrapServers();
    final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    final Map<String, String> settings = new HashMap<>();
    final int partitions;
    private final List<LearnerApp> apps = new ArrayList<>();
    private final List<Path> stateDirs = new ArrayList<>();
    private final KafkaProducer<String, String> producer;

    LearnerFixture(int partitions) {
        this.partitions = partitions;
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "learner");
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        // any free port: tests run side by side, and several learners share this JVM
        settings.put(StreampropConfig.HTTP_PORT, "0");
        Map<String, TopicDefinition> byKey = Map.of(StreampropConfig.MODELS_TOPIC, Topics.MODELS,
                StreampropConfig.EXAMPLES_TOPIC, Topics.EXAMPLES, StreampropConfig.QUERIES_TOPIC, Topics.QUERIES,
                StreampropConfig.LABELS_TOPIC, Topics.LABELS,
                StreampropConfig.PREDICTIONS_TOPIC, Topics.PREDICTIONS, StreampropConfig.SNAPSHOTS_TOPIC,
                Topics.SNAPSHOTS, StreampropConfig.DEAD_LETTERS_TOPIC, Topics.DEAD_LETTERS,
                StreampropConfig.METRICS_TOPIC, Topics.METRICS);
        byKey.forEach((key, topic) -> settings.put(key, prefix + topic.name()));
        createTopics();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer());
    }

    String topic(String key) {
        return settings.get(key);
    }

    /** Starts one more learner instance with its own state directory and waits until it runs. */
    LearnerApp startLearner() throws InterruptedException {
        Map<String, String> own = new HashMap<>(settings);
        try {
            Path dir = Files.createTempDirectory("streamprop-it-state-");
            stateDirs.add(dir);
            own.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LearnerApp app = new LearnerApp(StreampropConfig.of(own)).start();
        apps.add(app);
        if (!app.awaitRunning(TIMEOUT)) {
            throw new AssertionError("learner did not reach RUNNING within " + TIMEOUT);
        }
        return app;
    }

    void send(String topicKey, String model, String value) {
        producer.send(new ProducerRecord<>(topic(topicKey), model, value));
    }

    void sendRecord(ProducerRecord<String, String> record) {
        producer.send(record);
    }

    void flush() {
        producer.flush();
    }

    /** Reads committed records of an output topic until {@code count} have come, or fails. */
    List<JsonNode> awaitRecords(String topicKey, int count) {
        return awaitRecords(topicKey, count, TIMEOUT);
    }

    List<JsonNode> awaitRecords(String topicKey, int count, Duration timeout) {
        String topic = topic(topicKey);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            List<JsonNode> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + out.size() + " of " + count + " records on " + topic
                            + " within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(parse(r.value()));
                }
            }
            return out;
        }
    }

    static JsonNode parse(String value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates this fixture's copies of the real topic definitions, with its own partition count. */
    private void createTopics() {
        List<TopicDefinition> definitions = new ArrayList<>();
        for (TopicDefinition d : Topics.withPrefix(prefix, Topics.all())) {
            definitions.add(d.withPartitions(partitions));
        }
        try (TopicCreator creator = TopicCreator.connect(bootstrap, Map.of(), TIMEOUT)) {
            creator.createMissing(definitions);
        }
    }

    @Override
    public void close() {
        for (LearnerApp app : apps) {
            app.close();
        }
        producer.close();
        for (Path dir : stateDirs) {
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
