package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.data.SeaStream;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.LearnerTopologyReference;
import io.streamprop.topology.StreampropConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A model's evaluation and drift reaction survive a move to another instance: the second
 * instance, on an empty state directory, restores the evaluation stored with the last checkpoint
 * and scores the logged examples again while it replays the training log (those whose label came
 * late from the prediction kept for them), so that every metrics record, the drift alarm and the
 * final weights are those of an uninterrupted run.
 */
@ExtendWith(KafkaCluster.class)
class EvaluationRestoreTest {
    private static final String MODEL = "sea";
    /** Examples before the classes swap. */
    private static final int SWAP = 300;
    private static final int EXAMPLES = 600;
    /** Every fifth example comes without its label, which follows three examples later. */
    private static final int LATE_EVERY = 5;
    private static final int LATE_BY = 3;
    private static final String SPEC = "{\"layers\": [3, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 4, \"standardize\": true,"
            + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.05}, \"snapshotEvery\": 50,"
            + " \"onDrift\": \"reset_optimizer\", \"drift\": {\"lambda\": 50, \"learningRateFactor\": 2,"
            + " \"boostSteps\": 30}}";
    private static final Map<String, String> SETTINGS = Map.of(StreampropConfig.METRICS_EVERY, "25",
            StreampropConfig.PARTIAL_BATCH_WAIT_MS, "86400000");

    @Test
    void shouldEndWithTheMetricsOfAnUninterruptedRunAfterMovingToAnotherInstance() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(1)) {
            kafka.settings.putAll(SETTINGS);
            // examples and labels in timestamp order, as the reference reads them
            kafka.settings.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "2000");
            List<ProducerRecord<String, String>> input = input(kafka);
            int first = firstPart(input);
            Map<String, String> referenceSettings = new HashMap<>(SETTINGS);
            referenceSettings.put(StreampropConfig.LABELS_TOPIC, kafka.topic(StreampropConfig.LABELS_TOPIC));
            LearnerTopologyReference.Run uninterrupted = LearnerTopologyReference.run(SPEC, input,
                    kafka.topic(StreampropConfig.EXAMPLES_TOPIC), referenceSettings);
            List<JsonNode> expected = uninterrupted.metrics().get(MODEL);
            List<JsonNode> alarms = expected.stream().filter(m -> m.has("drift")).toList();
            assertEquals(1, alarms.size(), "the reference run has one alarm: " + alarms);
            long alarmAt = alarms.get(0).get("examples").asLong();
            assertTrue(alarmAt > SWAP && alarmAt < first - 2 * LATE_EVERY, "the alarm comes before the move, at "
                    + alarmAt);

            LearnerApp instance = kafka.startLearner();
            // the spec with the timestamp the reference gave it, so that every record compares whole
            kafka.sendRecord(new ProducerRecord<>(kafka.topic(StreampropConfig.MODELS_TOPIC), 0,
                    input.get(0).timestamp() - 1, MODEL, SPEC));
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 1);
            input.subList(0, first).forEach(kafka::sendRecord);
            kafka.flush();
            // one prediction per example, and one more per late label
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, first);
            instance.close();

            kafka.startLearner();
            input.subList(first, input.size()).forEach(kafka::sendRecord);
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, input.size());
            List<JsonNode> metrics = kafka.awaitRecords(StreampropConfig.METRICS_TOPIC, expected.size());

            LearnerTopologyReference.assertSameMetrics(uninterrupted.metrics(), Map.of(MODEL, metrics));
            List<JsonNode> snapshots = kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 4);
            assertEquals(uninterrupted.lastSnapshots().get(MODEL).get("state"), snapshots.get(3).get("state"));
            assertEquals(2, snapshots.get(3).get("state").get("format").asInt(), "the optimizer was restarted");
        }
    }

    /**
     * Noise-free SEA, its classes swapped after {@value #SWAP} examples; every fifth example
     * without its label, which comes on the labels topic three examples later (or at the end).
     * Timestamps 1 ms apart, in this order.
     */
    private static List<ProducerRecord<String, String>> input(LearnerFixture kafka) {
        String examples = kafka.topic(StreampropConfig.EXAMPLES_TOPIC);
        String labels = kafka.topic(StreampropConfig.LABELS_TOPIC);
        SeaStream stream = new SeaStream(EXAMPLES, 0.0, 5);
        double[] x = new double[3];
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Map<Integer, String> late = new HashMap<>();
        long time = System.currentTimeMillis();
        for (int i = 0; i < EXAMPLES; i++) {
            int label = stream.next(x);
            int y = i < SWAP ? label : 1 - label;
            String features = "\"features\": [" + x[0] + ", " + x[1] + ", " + x[2] + "]";
            if (i % LATE_EVERY == 2) {
                records.add(new ProducerRecord<>(examples, 0, time++, MODEL, "{\"id\": \"" + i + "\", " + features + "}"));
                late.put(i + LATE_BY, "{\"id\": \"" + i + "\", \"label\": " + y + "}");
            } else {
                records.add(new ProducerRecord<>(examples, 0, time++, MODEL, "{\"id\": \"" + i + "\", " + features
                        + ", \"label\": " + y + "}"));
            }
            String due = late.remove(i);
            if (due != null) {
                records.add(new ProducerRecord<>(labels, 0, time++, MODEL, due));
            }
        }
        for (String due : late.values()) {
            records.add(new ProducerRecord<>(labels, 0, time++, MODEL, due));
        }
        return records;
    }

    /** The records the first instance gets: two thirds, ending with a label that came late. */
    private static int firstPart(List<ProducerRecord<String, String>> input) {
        int first = 2 * input.size() / 3;
        while (!input.get(first - 1).value().contains("\"label\"") || input.get(first - 1).value().contains("features")) {
            first++;
        }
        return first;
    }
}
