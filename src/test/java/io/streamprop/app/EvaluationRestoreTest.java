package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.data.SeaStream;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.LearnerTopologyReference;
import io.streamprop.topology.StreampropConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A model's evaluation and drift reaction survive a move to another instance: the second
 * instance, on an empty state directory, restores the evaluation stored with the last checkpoint
 * and scores the logged examples again while it replays the training log, so that every metrics
 * record, the drift alarm and the final weights are those of an uninterrupted run.
 */
@ExtendWith(KafkaCluster.class)
class EvaluationRestoreTest {
    private static final String MODEL = "sea";
    /** Examples before the classes swap; the first instance stops 96 examples after the swap. */
    private static final int SWAP = 300;
    private static final int FIRST = 396;
    private static final int TOTAL = 600;
    private static final String SPEC = "{\"layers\": [3, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 4, \"standardize\": true,"
            + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.05}, \"snapshotEvery\": 50,"
            + " \"onDrift\": \"reset_optimizer\", \"drift\": {\"lambda\": 50, \"learningRateFactor\": 2, \"boostSteps\": 30}}";
    private static final Map<String, String> SETTINGS = Map.of(StreampropConfig.METRICS_EVERY, "25",
            StreampropConfig.PARTIAL_BATCH_WAIT_MS, "86400000");

    @Test
    void shouldEndWithTheMetricsOfAnUninterruptedRunAfterMovingToAnotherInstance() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(1)) {
            kafka.settings.putAll(SETTINGS);
            List<ProducerRecord<String, String>> input = input(kafka.topic(StreampropConfig.EXAMPLES_TOPIC));
            LearnerTopologyReference.Run uninterrupted = LearnerTopologyReference.run(SPEC, input,
                    kafka.topic(StreampropConfig.EXAMPLES_TOPIC), SETTINGS);
            List<JsonNode> expected = uninterrupted.metrics().get(MODEL);
            List<JsonNode> alarms = expected.stream().filter(m -> m.has("drift")).toList();
            assertEquals(1, alarms.size(), "the reference run has one alarm: " + alarms);
            long alarmAt = alarms.get(0).get("examples").asLong();
            assertTrue(alarmAt > SWAP && alarmAt < FIRST, "the alarm comes before the move, at " + alarmAt);

            LearnerApp first = kafka.startLearner();
            // the spec with the timestamp the reference gave it, so that every record compares whole
            kafka.sendRecord(new ProducerRecord<>(kafka.topic(StreampropConfig.MODELS_TOPIC), 0,
                    input.get(0).timestamp() - 1, MODEL, SPEC));
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 1);
            input.subList(0, FIRST).forEach(kafka::sendRecord);
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, FIRST);
            first.close();

            kafka.startLearner();
            input.subList(FIRST, TOTAL).forEach(kafka::sendRecord);
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, TOTAL);
            List<JsonNode> metrics = kafka.awaitRecords(StreampropConfig.METRICS_TOPIC, expected.size());

            LearnerTopologyReference.assertSameMetrics(uninterrupted.metrics(), Map.of(MODEL, metrics));
            JsonNode last = kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 4).get(3);
            assertEquals(uninterrupted.lastSnapshots().get(MODEL).get("state"), last.get("state"));
            assertEquals(2, last.get("state").get("format").asInt(), "the optimizer was restarted");
        }
    }

    /** Noise-free SEA, its classes swapped after {@value #SWAP} examples; fixed timestamps. */
    private static List<ProducerRecord<String, String>> input(String topic) {
        SeaStream stream = new SeaStream(TOTAL, 0.0, 5);
        double[] x = new double[3];
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        long time = System.currentTimeMillis();
        for (int i = 0; i < TOTAL; i++) {
            int label = stream.next(x);
            String value = "{\"id\": \"" + i + "\", \"features\": [" + x[0] + ", " + x[1] + ", " + x[2]
                    + "], \"label\": " + (i < SWAP ? label : 1 - label) + "}";
            records.add(new ProducerRecord<>(topic, 0, time + i, MODEL, value));
        }
        return records;
    }
}
