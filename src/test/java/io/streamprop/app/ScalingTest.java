package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.LearnerTopologyReference;
import io.streamprop.topology.StreampropConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two learner instances share a stream of many models; rebalances lose and repeat nothing. */
@ExtendWith(KafkaCluster.class)
class ScalingTest {
    private static final int MODELS = 12;
    private static final int EXAMPLES_PER_MODEL = 400;
    private static final String SPEC = "{\"layers\": [2, 6, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 5, \"snapshotEvery\": "
            + (EXAMPLES_PER_MODEL / 5) + "}";

    @Test
    void shouldShareManyModelsBetweenTwoInstancesThroughRebalances() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(4)) {
            kafka.settings.put(StreampropConfig.PARTIAL_BATCH_WAIT_MS, "86400000");
            LearnerApp first = kafka.startLearner();
            for (int m = 0; m < MODELS; m++) {
                kafka.send(StreampropConfig.MODELS_TOPIC, "model-" + m, SPEC);
            }
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, MODELS);
            List<ProducerRecord<String, String>> input = input(kafka.topic(StreampropConfig.EXAMPLES_TOPIC));
            int half = input.size() / 2;
            input.subList(0, half).forEach(kafka::sendRecord);
            kafka.flush();

            // a second instance joins in the middle of the stream: the tasks are rebalanced
            LearnerApp second = kafka.startLearner();
            input.subList(half, input.size()).forEach(kafka::sendRecord);
            kafka.flush();
            List<JsonNode> predictions = kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, input.size());

            assertTrue(activeTasks(first) > 0 && activeTasks(second) > 0,
                    "both instances own tasks: " + activeTasks(first) + " and " + activeTasks(second));
            Set<String> ids = new HashSet<>();
            predictions.forEach(p -> assertTrue(ids.add(p.get("model").asText() + "/" + p.get("id").asText()),
                    "repeated " + p));
            assertEquals(input.size(), ids.size());

            List<JsonNode> snapshots = kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 2 * MODELS);
            Map<String, JsonNode> last = snapshots.stream().filter(s -> s.get("version").asLong() > 0)
                    .collect(Collectors.toMap(s -> s.get("model").asText(), s -> s));
            Map<String, JsonNode> reference = LearnerTopologyReference.finalSnapshots(SPEC, input,
                    kafka.topic(StreampropConfig.EXAMPLES_TOPIC));
            assertEquals(MODELS, last.size());
            for (Map.Entry<String, JsonNode> e : last.entrySet()) {
                assertEquals(EXAMPLES_PER_MODEL, e.getValue().get("examplesSeen").asLong(), e.getKey());
                assertEquals(reference.get(e.getKey()).get("state"), e.getValue().get("state"), e.getKey());
            }
        }
    }

    private static long activeTasks(LearnerApp app) {
        return app.streams().metadataForLocalThreads().stream()
                .mapToLong((ThreadMetadata t) -> t.activeTasks().size()).sum();
    }

    private static List<ProducerRecord<String, String>> input(String topic) {
        Random random = new Random(7);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        long time = System.currentTimeMillis();
        for (int i = 0; i < EXAMPLES_PER_MODEL; i++) {
            for (int m = 0; m < MODELS; m++) {
                double a = Math.round(random.nextGaussian() * 100) / 100.0;
                double b = Math.round(random.nextGaussian() * 100) / 100.0;
                String value = "{\"id\": \"" + i + "\", \"features\": [" + a + ", " + b + "], \"label\": "
                        + (a * b > 0 ? 1 : 0) + "}";
                records.add(new ProducerRecord<>(topic, null, time + i, "model-" + m, value));
            }
        }
        return records;
    }
}
