package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.StreampropConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The learner on a real broker, with exactly-once processing and read_committed readers. */
@ExtendWith(KafkaCluster.class)
class LearnerIntegrationTest {
    private static final String XOR_SPEC = "{\"layers\": [3, 2, 1], \"hiddenActivation\": \"sigmoid\","
            + " \"outputActivation\": \"sigmoid\", \"loss\": \"mse\", \"batchSize\": 4, \"seed\": 42,"
            + " \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 1.0}, \"snapshotEvery\": 100}";
    private static final double[][] ROWS = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {1, 1, 1}};
    private static final double[] LABELS = {0, 1, 1, 0};

    @Test
    void shouldLearnTheTutorialXorThroughKafkaWithBadInputMixedIn() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(2)) {
            kafka.startLearner();
            kafka.send(StreampropConfig.MODELS_TOPIC, "xor", XOR_SPEC);
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 1);
            int examples = 2000;
            for (int i = 0; i < examples; i++) {
                kafka.send(StreampropConfig.EXAMPLES_TOPIC, "xor", "{\"id\": \"e" + i + "\", \"features\": "
                        + java.util.Arrays.toString(ROWS[i % 4]) + ", \"label\": " + LABELS[i % 4] + "}");
                if (i % 500 == 250) {
                    kafka.send(StreampropConfig.EXAMPLES_TOPIC, "xor", "{\"features\": [1, 2]}");
                    kafka.send(StreampropConfig.EXAMPLES_TOPIC, "xor", "garbage " + i);
                    kafka.send(StreampropConfig.EXAMPLES_TOPIC, "nobody", "{\"features\": [1, 2, 3], \"label\": 1}");
                }
            }
            kafka.flush();

            List<JsonNode> predictions = kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, examples);
            assertEquals(examples, predictions.size());
            Set<String> ids = predictions.stream().map(p -> p.get("id").asText()).collect(Collectors.toSet());
            assertEquals(examples, ids.size(), "every example predicted exactly once");
            Map<Long, Long> perVersion = predictions.stream().collect(Collectors.groupingBy(
                    p -> p.get("version").asLong(), TreeMap::new, Collectors.counting()));
            assertEquals(500, perVersion.size(), "versions 0 to 499, four predictions each");
            assertTrue(perVersion.values().stream().allMatch(c -> c == 4), perVersion.toString());
            for (JsonNode p : predictions.subList(examples - 4, examples)) {
                double label = p.get("label").asDouble();
                assertEquals(label, p.get("output").get(0).asDouble(), 0.35, p.toString());
            }

            List<JsonNode> dead = kafka.awaitRecords(StreampropConfig.DEAD_LETTERS_TOPIC, 12);
            Map<String, Long> reasons = dead.stream().collect(Collectors.groupingBy(
                    d -> d.get("reason").asText(), Collectors.counting()));
            assertEquals(Map.of("wrong_feature_count", 4L, "not_json", 4L, "unknown_model", 4L), reasons);
            assertTrue(dead.stream().allMatch(d -> d.get("topic").asText().equals(
                    kafka.topic(StreampropConfig.EXAMPLES_TOPIC)) && d.has("offset")));

            List<JsonNode> snapshots = kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 6);
            JsonNode last = snapshots.get(5);
            assertEquals(500, last.get("version").asLong());
            assertEquals(2000, last.get("examplesSeen").asLong());
            Set<Long> versions = new HashSet<>();
            snapshots.forEach(s -> versions.add(s.get("version").asLong()));
            assertEquals(Set.of(0L, 100L, 200L, 300L, 400L, 500L), versions);
        }
    }

    /**
     * A 784-1024-256-10 network (1,068,810 parameters) with Adam: after one step its snapshot,
     * weights and both moments as JSON, is about 65 MiB, and must pass through Kafka whole.
     */
    @Test
    void shouldSnapshotAMillionParameterModel() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(1)) {
            kafka.startLearner();
            kafka.send(StreampropConfig.MODELS_TOPIC, "big", "{\"layers\": [784, 1024, 256, 10],"
                    + " \"outputActivation\": \"softmax\", \"loss\": \"categorical_cross_entropy\","
                    + " \"batchSize\": 1, \"snapshotEvery\": 1}");
            StringBuilder features = new StringBuilder();
            java.util.Random random = new java.util.Random(3);
            for (int i = 0; i < 784; i++) {
                features.append(i == 0 ? "" : ",").append(random.nextDouble());
            }
            kafka.send(StreampropConfig.EXAMPLES_TOPIC, "big", "{\"features\": [" + features + "], \"label\": 7}");
            kafka.flush();

            List<JsonNode> snapshots = kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 2,
                    java.time.Duration.ofSeconds(120));

            JsonNode trained = snapshots.get(1);
            assertEquals(1, trained.get("version").asLong());
            io.streamprop.nn.Model model = io.streamprop.nn.ModelJson.read(trained.get("state"));
            assertEquals(1_068_810, model.parameterCount());
            assertEquals(1, model.updatesApplied());
            assertEquals(1024, trained.get("state").get("layers").get(0).get("optimizerState")
                    .get("secondMoment").get("weights").get(783).size());
            assertTrue(kafka.awaitRecords(StreampropConfig.DEAD_LETTERS_TOPIC, 0).isEmpty());
        }
    }
}
