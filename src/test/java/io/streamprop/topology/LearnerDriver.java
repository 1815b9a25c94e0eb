package io.streamprop.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The learner topology in a {@link TopologyTestDriver}, with JSON helpers for its topics. */
final class LearnerDriver implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final StreampropConfig config;
    final io.streamprop.stats.LearningStats stats = new io.streamprop.stats.LearningStats();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> models;
    final TestInputTopic<byte[], byte[]> examples;
    final TestInputTopic<byte[], byte[]> queries;
    final TestInputTopic<byte[], byte[]> labels;
    final TestOutputTopic<byte[], byte[]> predictions;
    final TestOutputTopic<byte[], byte[]> snapshots;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<byte[], byte[]> metrics;
    private long time = 1_000_000L;

    LearnerDriver() {
        this(Map.of());
    }

    LearnerDriver(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                StreampropConfig.PARTIAL_BATCH_WAIT_MS, "10000"));
        all.putAll(settings);
        config = StreampropConfig.of(all);
        Properties props = config.streamsProperties();
        props.setProperty(StreamsConfig.STATE_DIR_CONFIG, tempStateDir());
        driver = new TopologyTestDriver(LearnerTopology.build(config, "test", stats), props);
        ByteArraySerializer ser = new ByteArraySerializer();
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        models = driver.createInputTopic(config.modelsTopic(), ser, ser);
        examples = driver.createInputTopic(config.examplesTopic(), ser, ser);
        queries = driver.createInputTopic(config.queriesTopic(), ser, ser);
        labels = driver.createInputTopic(config.labelsTopic(), ser, ser);
        predictions = driver.createOutputTopic(config.predictionsTopic(), de, de);
        snapshots = driver.createOutputTopic(config.snapshotsTopic(), de, de);
        deadLetters = driver.createOutputTopic(config.deadLettersTopic(), de, de);
        metrics = driver.createOutputTopic(config.metricsTopic(), de, de);
    }

    void spec(String model, String json) {
        models.pipeInput(bytes(model), bytes(json), Instant.ofEpochMilli(time));
    }

    /** Sends an example; each one is 1 ms of stream time after the previous. */
    void example(String model, String json) {
        examples.pipeInput(bytes(model), bytes(json), Instant.ofEpochMilli(++time));
    }

    void exampleAt(String model, String json, long timestamp) {
        time = timestamp;
        examples.pipeInput(bytes(model), bytes(json), Instant.ofEpochMilli(timestamp));
    }

    /** Sends a label for an earlier example, 1 ms of stream time after the previous record. */
    void label(String model, String json) {
        labels.pipeInput(bytes(model), bytes(json), Instant.ofEpochMilli(++time));
    }

    void labelAt(String model, String json, long timestamp) {
        time = timestamp;
        labels.pipeInput(bytes(model), bytes(json), Instant.ofEpochMilli(timestamp));
    }

    void query(String model, String json) {
        queries.pipeInput(bytes(model), bytes(json), Instant.ofEpochMilli(++time));
    }

    void queryAt(String model, String json, long timestamp) {
        time = timestamp;
        queries.pipeInput(bytes(model), bytes(json), Instant.ofEpochMilli(timestamp));
    }

    long time() {
        return time;
    }

    static List<JsonNode> read(TestOutputTopic<byte[], byte[]> topic) {
        List<JsonNode> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
            out.add(r.value() == null ? null : parse(r.value()));
        }
        return out;
    }

    static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String example(String id, double label, double... features) {
        StringBuilder sb = new StringBuilder("{\"id\":\"" + id + "\",\"features\":[");
        for (int i = 0; i < features.length; i++) {
            sb.append(i == 0 ? "" : ",").append(features[i]);
        }
        return sb.append("],\"label\":").append(label).append('}').toString();
    }

    private static String tempStateDir() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("streamprop-ttd-");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
