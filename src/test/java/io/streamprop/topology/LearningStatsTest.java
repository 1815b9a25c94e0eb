package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.serde.Rejection;
import io.streamprop.stats.LearningCurve;
import io.streamprop.stats.ModelProgress;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The learner's statistics agree with the predictions it emits. */
class LearningStatsTest {
    private static final double TOLERANCE = 1e-12;
    private static final String CLASSIFIER = "{\"layers\": [3, 6, 3], \"outputActivation\": \"softmax\","
            + " \"loss\": \"categorical_cross_entropy\", \"batchSize\": 10, \"seed\": 5, \"snapshotEvery\": 10}";

    @Test
    void shouldAverageTheLossAndAccuracyOfItsPredictionsPerWindow() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", CLASSIFIER);
            int n = 250;
            for (int i = 0; i < n; i++) {
                int label = i % 3;
                d.example("m", LearnerDriver.example("e" + i, label, label, 1 - label, 0.5 * i % 7));
            }
            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            assertEquals(n, predictions.size());

            ModelProgress p = d.stats.progress("m").orElseThrow();
            assertEquals(n, p.examples());
            assertEquals(n / 10, p.version());
            // the recent window is the last full one: predictions 100 to 199
            assertEquals(meanLoss(predictions, 100, 200), p.recentLoss(), TOLERANCE);
            assertEquals(accuracy(predictions, 100, 200), p.recentAccuracy(), TOLERANCE);
            assertTrue(p.lastSnapshotTime() > 0, "snapshots every 10 steps");

            LearningCurve curve = storedCurve(d, "m");
            assertEquals(2, curve.size(), "a point per 100 examples; the third is still open");
            assertEquals(100, curve.examples(0));
            assertEquals(200, curve.examples(1));
            assertEquals(meanLoss(predictions, 0, 100), curve.loss(0), TOLERANCE);
            assertEquals(accuracy(predictions, 100, 200), curve.accuracy(1), TOLERANCE);
        }
    }

    @Test
    void shouldCountDeadLettersPerReasonAndPerModel() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", CLASSIFIER);
            d.example("m", "{\"features\": [1, 2], \"label\": 0}");
            d.example("m", "not json");
            d.example("nobody", LearnerDriver.example("x", 0, 1, 2, 3));

            assertEquals(1, d.stats.deadLetters(Rejection.WRONG_FEATURE_COUNT));
            assertEquals(1, d.stats.deadLetters(Rejection.NOT_JSON));
            assertEquals(1, d.stats.deadLetters(Rejection.UNKNOWN_MODEL));
            ModelProgress p = d.stats.progress("m").orElseThrow();
            assertEquals(1, p.deadLetters(Rejection.WRONG_FEATURE_COUNT));
            assertEquals(1, p.deadLetters(Rejection.NOT_JSON));
            assertEquals(0, p.deadLetters(Rejection.UNKNOWN_MODEL));
            assertFalse(d.stats.progress("nobody").isPresent(), "a key naming no model gets no statistics");
        }
    }

    @Test
    void shouldForgetADeletedModelAndItsCurve() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", CLASSIFIER);
            for (int i = 0; i < 120; i++) {
                d.example("m", LearnerDriver.example("e" + i, i % 3, i % 3, 1, 2));
            }
            assertEquals(1, storedCurve(d, "m").size());

            d.spec("m", null);

            assertFalse(d.stats.progress("m").isPresent());
            assertNull(curves(d).get("m"));
            assertTrue(d.stats.allProgress().isEmpty());
        }
    }

    private static KeyValueStore<String, byte[]> curves(LearnerDriver d) {
        return d.driver.getKeyValueStore(LearnerTopology.CURVES_STORE);
    }

    private static LearningCurve storedCurve(LearnerDriver d, String model) {
        return LearningCurve.decode(curves(d).get(model));
    }

    private static double meanLoss(List<JsonNode> predictions, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += predictions.get(i).get("loss").asDouble();
        }
        return sum / (to - from);
    }

    private static double accuracy(List<JsonNode> predictions, int from, int to) {
        int right = 0;
        for (int i = from; i < to; i++) {
            JsonNode p = predictions.get(i);
            right += p.get("class").asInt() == p.get("label").asInt() ? 1 : 0;
        }
        return (double) right / (to - from);
    }
}
