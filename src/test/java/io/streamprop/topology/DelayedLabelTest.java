package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Labels that come after their examples, on the labels topic. */
class DelayedLabelTest {
    private static final String BINARY = "{\"layers\": [2, 4, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 2, \"snapshotEvery\": 1}";
    /** {@link #BINARY} with three inputs instead of two. */
    private static final String THREE_INPUTS = BINARY.replace("[2, 4, 1]", "[3, 4, 1]");
    private static final String RESET = ", \"reset\": true}";

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

    /** A model reset to other inputs, or to the same shape, forgets the examples it awaited labels for. */
    @ParameterizedTest(name = "reset from {0} inputs")
    @ValueSource(ints = {3, 2})
    void shouldDeadLetterALabelForAnExampleOfAModelReset(int inputsBefore) {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", inputsBefore == 3 ? THREE_INPUTS : BINARY);
            d.example("m", "{\"id\": \"a\", \"features\": " + (inputsBefore == 3 ? "[1, 2, 3]" : "[1, 2]") + "}");
            d.spec("m", BINARY.replace("}", RESET));

            d.label("m", "{\"id\": \"a\", \"label\": 1}");
            assertUnmatchedBecauseReplaced(d, "a");
            assertNothingAwaits(d);
            assertLearnsOnlyFromWhatFollows(d);
        }
    }

    @Test
    void shouldDeadLetterALabelForAnExampleOfAModelDeletedAndCreatedAgain() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", THREE_INPUTS);
            d.example("m", "{\"id\": \"a\", \"features\": [1, 2, 3]}");
            d.spec("m", null);
            d.label("m", "{\"id\": \"a\", \"label\": 1}");
            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(List.of("unknown_model"), dead.stream().map(n -> n.get("reason").asText()).toList());

            d.spec("m", BINARY);
            d.label("m", "{\"id\": \"a\", \"label\": 1}");
            assertUnmatchedBecauseReplaced(d, "a");
            assertNothingAwaits(d);
            assertLearnsOnlyFromWhatFollows(d);
        }
    }

    @Test
    void shouldDeadLetterALabelForAnExampleOfAModelReplacedByASnapshot() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("other", BINARY);
            byte[] snapshot = d.snapshots.readRecordsToList().get(0).value();
            d.spec("m", THREE_INPUTS);
            d.example("m", "{\"id\": \"a\", \"features\": [1, 2, 3]}");
            d.models.pipeInput(LearnerDriver.bytes("m"), snapshot, Instant.ofEpochMilli(d.time()));

            d.label("m", "{\"id\": \"a\", \"label\": 1}");
            assertUnmatchedBecauseReplaced(d, "a");
            assertNothingAwaits(d);
            assertLearnsOnlyFromWhatFollows(d);
        }
    }

    @Test
    void shouldMatchALabelToTheExampleThatTheNewModelAwaitsUnderTheSameId() {
        try (LearnerDriver d = new LearnerDriver(Map.of(StreampropConfig.LABEL_WINDOW_MS, "1000"))) {
            d.spec("m", THREE_INPUTS);
            long first = d.time() + 1;
            d.exampleAt("m", "{\"id\": \"a\", \"features\": [1, 2, 3]}", first);
            d.spec("m", BINARY.replace("}", RESET));
            d.exampleAt("m", "{\"id\": \"a\", \"features\": [1, 2]}", first + 600);
            List<JsonNode> predicted = LearnerDriver.read(d.predictions);

            // the window of the first example has passed, not that of the second
            d.labelAt("m", "{\"id\": \"a\", \"label\": 1}", first + 1200);
            List<JsonNode> labelled = LearnerDriver.read(d.predictions);
            assertEquals(1, labelled.size(), "the label matched the new model's example");
            assertTrue(labelled.get(0).get("delayed").asBoolean());
            assertEquals(predicted.get(1).get("output"), labelled.get(0).get("output"));
            assertTrue(d.deadLetters.isEmpty());
            assertNothingAwaits(d);
        }
    }

    @Test
    void shouldDeadLetterALabelWhoseAwaitingExampleDoesNotFitTheModel() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", BINARY);
            d.snapshots.readRecordsToList();
            // left by a version that kept the examples of a deleted model awaiting
            KeyValueStore<String, byte[]> awaiting = d.driver.getKeyValueStore(LearnerTopology.AWAITING_STORE);
            awaiting.put(AwaitingExample.key("m", "wide"), new AwaitingExample(d.time(), 0, 7, 3,
                    new double[] {0.5}, new double[] {0.0}, new double[] {1, 2, 3}).encode());
            awaiting.put(AwaitingExample.key("m", "tall"), new AwaitingExample(d.time(), 0, 8, 3,
                    new double[] {0.2, 0.3, 0.5}, new double[] {0.1, 0.2, 0.3}, new double[] {1, 2}).encode());

            d.label("m", "{\"id\": \"wide\", \"label\": 1}");
            d.label("m", "{\"id\": \"tall\", \"label\": 1}");
            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(2, dead.size());
            assertEquals("unmatched_label", dead.get(0).get("reason").asText());
            assertTrue(dead.get(0).get("message").asText().contains("has 3 features, but model 'm' expects 2"),
                    dead.get(0).toString());
            assertEquals("unmatched_label", dead.get(1).get("reason").asText());
            assertTrue(dead.get(1).get("message").asText().contains("3 outputs, but model 'm' has 1"),
                    dead.get(1).toString());
            assertNothingAwaits(d);
            assertLearnsOnlyFromWhatFollows(d);
        }
    }

    private static void assertNothingAwaits(LearnerDriver d) {
        try (var all = d.driver.<String, byte[]>getKeyValueStore(LearnerTopology.AWAITING_STORE).all()) {
            assertFalse(all.hasNext(), "no example awaits a label");
        }
    }

    private static void assertUnmatchedBecauseReplaced(LearnerDriver d, String id) {
        List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
        assertEquals(1, dead.size());
        JsonNode letter = dead.get(0);
        assertEquals("unmatched_label", letter.get("reason").asText());
        assertEquals(d.config.labelsTopic(), letter.get("topic").asText());
        String message = letter.get("message").asText();
        assertTrue(message.contains("with id '" + id + "'"), message);
        assertTrue(message.contains("deleted or replaced"), message);
    }

    /**
     * The two-input model {@code m} has learned nothing yet and has no pending example: its
     * first batch of two is the next two labelled examples.
     */
    private static void assertLearnsOnlyFromWhatFollows(LearnerDriver d) {
        d.snapshots.readRecordsToList();
        d.predictions.readRecordsToList();
        d.example("m", "{\"features\": [1, 2], \"label\": 1}");
        assertTrue(d.snapshots.isEmpty(), "the first example of the batch trains nothing");
        d.example("m", "{\"features\": [-1, 0.5], \"label\": 0}");
        List<JsonNode> predictions = LearnerDriver.read(d.predictions);
        assertEquals(2, predictions.size());
        assertEquals(0, predictions.get(1).get("version").asLong(), "no step before the second example");
        List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
        assertEquals(1, snapshots.size());
        assertEquals(1, snapshots.get(0).get("version").asLong());
        assertEquals(2, snapshots.get(0).get("examplesSeen").asLong(), "the two examples, nothing else");
        assertTrue(d.deadLetters.isEmpty());
    }
}
