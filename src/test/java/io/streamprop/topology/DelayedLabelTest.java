package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels that come after their examples, on the labels topic. */
class DelayedLabelTest {
    private static final String BINARY = "{\"layers\": [2, 4, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 2, \"snapshotEvery\": 1}";

    @Test
    void shouldPredictNowAndLearnWhenTheLabelComes() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", BINARY);
            d.snapshots.readRecordsToList();
            d.example("m", "{\"id\": \"a\", \"features\": [1, 2]}");
            d.example("m", "{\"id\": \"b\", \"features\": [-1, 0.5]}");
            List<JsonNode> first = LearnerDriver.read(d.predictions);
            assertEquals(2, first.size());
            assertFalse(first.get(0).has("loss"), "no label yet, so no loss");
            assertTrue(d.snapshots.isEmpty(), "nothing learned without labels");

            d.label("m", "{\"id\": \"b\", \"label\": 0}");
            d.label("m", "{\"id\": \"a\", \"label\": 1}");
            List<JsonNode> labelled = LearnerDriver.read(d.predictions);
            assertEquals(2, labelled.size());
            JsonNode b = labelled.get(0);
            assertEquals("b", b.get("id").asText());
            assertTrue(b.get("delayed").asBoolean());
            assertEquals(0, b.get("version").asLong(), "the version that made the prediction");
            assertEquals(first.get(1).get("output"), b.get("output"), "the earlier prediction");
            assertEquals(d.config.examplesTopic(), b.get("topic").asText());
            assertEquals(1, b.get("offset").asLong());
            assertEquals(d.config.labelsTopic(), b.get("labelTopic").asText());
            assertEquals(0, b.get("labelOffset").asLong());
            // binary cross-entropy of the earlier output against label 0
            double p = first.get(1).get("output").get(0).asDouble();
            assertEquals(-Math.log(1 - p), b.get("loss").asDouble(), 1e-9);
            double pa = first.get(0).get("output").get(0).asDouble();
            assertEquals(-Math.log(pa), labelled.get(1).get("loss").asDouble(), 1e-9);

            List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
            assertEquals(1, snapshots.size(), "the two labelled examples made a batch");
            assertEquals(1, snapshots.get(0).get("version").asLong());
            assertEquals(2, snapshots.get(0).get("examplesSeen").asLong());
        }
    }

    @Test
    void shouldLearnTheSameFromLateLabelsAsFromLabelsOnTheExamples() {
        String[] finals = new String[2];
        for (int run = 0; run < 2; run++) {
            try (LearnerDriver d = new LearnerDriver()) {
                d.spec("m", BINARY);
                for (int i = 0; i < 8; i++) {
                    double x = i % 2 == 0 ? 1 : -1;
                    int y = i % 2 == 0 ? 1 : 0;
                    if (run == 0) {
                        d.example("m", "{\"id\": \"e" + i + "\", \"features\": [" + x + ", " + i + "], \"label\": " + y + "}");
                    } else {
                        d.example("m", "{\"id\": \"e" + i + "\", \"features\": [" + x + ", " + i + "]}");
                        d.label("m", "{\"id\": \"e" + i + "\", \"label\": " + y + "}");
                    }
                }
                List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
                JsonNode last = snapshots.get(snapshots.size() - 1);
                assertEquals(4, last.get("version").asLong());
                finals[run] = last.get("state").toString();
            }
        }
        assertEquals(finals[0], finals[1]);
    }

    @Test
    void shouldDeadLetterALabelThatMatchesNothingInTime() {
        try (LearnerDriver d = new LearnerDriver(Map.of(StreampropConfig.LABEL_WINDOW_MS, "1000"))) {
            d.spec("m", BINARY);
            d.example("m", "{\"id\": \"late\", \"features\": [1, 2]}");
            d.label("m", "{\"id\": \"nobody\", \"label\": 1}");
            d.labelAt("m", "{\"id\": \"late\", \"label\": 1}", d.time() + 5000);
            d.example("m", "{\"features\": [1, 2]}");
            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(3, dead.size());
            assertEquals("unmatched_label", dead.get(0).get("reason").asText());
            assertTrue(dead.get(0).get("message").asText().contains("with id 'nobody'"), dead.get(0).toString());
            assertEquals(d.config.labelsTopic(), dead.get(0).get("topic").asText());
            assertEquals("unmatched_label", dead.get(1).get("reason").asText(), "the window had passed");
            assertEquals("missing_label", dead.get(2).get("reason").asText());
            assertTrue(dead.get(2).get("message").asText().contains("or an \"id\""), dead.get(2).toString());
            try (var all = d.driver.<String, byte[]>getKeyValueStore(LearnerTopology.AWAITING_STORE).all()) {
                assertFalse(all.hasNext(), "nothing waits any more");
            }
        }
    }

    @Test
    void shouldDeadLetterALabelRecordWithoutIdOrLabel() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", BINARY);
            d.label("m", "{\"label\": 1}");
            d.label("m", "{\"id\": \"x\"}");
            d.label("m", "not json");
            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(List.of("missing_label", "missing_label", "not_json"),
                    dead.stream().map(n -> n.get("reason").asText()).toList());
            // the learner runs on
            d.example("m", "{\"features\": [1, 2], \"label\": 1}");
            assertEquals(1, LearnerDriver.read(d.predictions).size());
        }
    }
}
