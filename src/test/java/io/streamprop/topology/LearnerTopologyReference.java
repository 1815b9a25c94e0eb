package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** An uninterrupted run of the learner topology, in a TopologyTestDriver, as a reference. */
public final class LearnerTopologyReference {
    /**
     * What an uninterrupted run wrote.
     *
     * @param lastSnapshots each model's last snapshot
     * @param metrics       each model's metrics records, in order
     */
    public record Run(Map<String, JsonNode> lastSnapshots, Map<String, List<JsonNode>> metrics) {
    }

    private LearnerTopologyReference() {
    }

    /**
     * Feeds the spec to every model named in {@code examples}, then the examples in order with
     * their timestamps, and returns each model's last snapshot.
     */
    public static Map<String, JsonNode> finalSnapshots(String spec, List<ProducerRecord<String, String>> examples,
                                                       String examplesTopic) {
        return run(spec, examples, examplesTopic, Map.of()).lastSnapshots();
    }

    /**
     * As {@link #finalSnapshots}, with more learner settings, returning the metrics records too.
     * A record of {@code examples} whose topic is the settings' labels topic goes there.
     */
    public static Run run(String spec, List<ProducerRecord<String, String>> examples, String examplesTopic,
                          Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(StreampropConfig.EXAMPLES_TOPIC, examplesTopic);
        all.put(StreampropConfig.PARTIAL_BATCH_WAIT_MS, String.valueOf(86_400_000L));
        try (LearnerDriver d = new LearnerDriver(all)) {
            examples.stream().map(ProducerRecord::key).distinct().forEach(model ->
                    d.models.pipeInput(LearnerDriver.bytes(model), LearnerDriver.bytes(spec),
                            Instant.ofEpochMilli(examples.get(0).timestamp() - 1)));
            for (ProducerRecord<String, String> r : examples) {
                var input = r.topic().equals(d.config.labelsTopic()) ? d.labels : d.examples;
                input.pipeInput(LearnerDriver.bytes(r.key()), LearnerDriver.bytes(r.value()),
                        Instant.ofEpochMilli(r.timestamp()));
            }
            Map<String, JsonNode> last = new HashMap<>();
            for (JsonNode s : LearnerDriver.read(d.snapshots)) {
                last.put(s.get("model").asText(), s);
            }
            return new Run(last, byModel(LearnerDriver.read(d.metrics)));
        }
    }

    /**
     * Asserts that each model has the same metrics records as {@code expected}, naming the first
     * record that differs.
     */
    public static void assertSameMetrics(Map<String, List<JsonNode>> expected, Map<String, List<JsonNode>> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "models with metrics");
        expected.forEach((model, records) -> {
            List<JsonNode> got = actual.get(model);
            for (int i = 0; i < Math.min(records.size(), got.size()); i++) {
                assertEquals(records.get(i), got.get(i), "metrics record " + i + " of model '" + model + "'");
            }
            assertEquals(records.size(), got.size(), "metrics records of model '" + model + "'");
        });
    }

    /** Records grouped by their "model" field, each group in its original order. */
    public static Map<String, List<JsonNode>> byModel(List<JsonNode> records) {
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (JsonNode r : records) {
            out.computeIfAbsent(r.get("model").asText(), m -> new ArrayList<>()).add(r);
        }
        return out;
    }
}
