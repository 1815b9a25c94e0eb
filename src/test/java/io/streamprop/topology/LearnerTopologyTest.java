package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.nn.ModelJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnerTopologyTest {
    static final String XOR_SPEC = "{\"layers\": [3, 2, 1], \"hiddenActivation\": \"sigmoid\","
            + " \"outputActivation\": \"sigmoid\", \"loss\": \"mse\", \"batchSize\": 4, \"seed\": 42,"
            + " \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 1.0}, \"snapshotEvery\": 500}";
    static final double[][] XOR_ROWS = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {1, 1, 1}};
    static final double[] XOR_LABELS = {0, 1, 1, 0};

    @Test
    void shouldCreateAModelAndSnapshotIt() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);

            List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
            assertEquals(1, snapshots.size());
            JsonNode snapshot = snapshots.get(0);
            assertEquals("xor", snapshot.get("model").asText());
            assertEquals(0, snapshot.get("version").asLong());
            assertEquals("test", snapshot.get("softwareVersion").asText());
            assertEquals(500, snapshot.get("learner").get("snapshotEvery").asInt());
            assertEquals(2, ModelJson.read(snapshot.get("state")).spec().layers().get(1));
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldPredictEachExampleBeforeLearningFromIt() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);
            for (int i = 0; i < 5; i++) {
                d.example("xor", LearnerDriver.example("e" + i, XOR_LABELS[i % 4], XOR_ROWS[i % 4]));
            }

            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            assertEquals(5, predictions.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(0, predictions.get(i).get("version").asLong(), "example " + i);
            }
            // the fourth example completed the batch; the fifth sees the updated weights
            JsonNode fifth = predictions.get(4);
            assertEquals(1, fifth.get("version").asLong());
            assertEquals("e4", fifth.get("id").asText());
            assertEquals(0.0, fifth.get("label").asDouble());
            assertEquals(1, fifth.get("output").size());
            assertTrue(fifth.get("loss").asDouble() >= 0);
            assertEquals(d.config.examplesTopic(), fifth.get("topic").asText());
            assertEquals(0, fifth.get("partition").asInt());
            assertEquals(4, fifth.get("offset").asLong());
            assertEquals(fifth.get("output").get(0).asDouble() >= 0.5 ? 1 : 0, fifth.get("class").asInt());
        }
    }

    @Test
    void shouldLearnTheTutorialXorThroughTheTopology() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);
            // 1000 steps of batch 4, as in the core test's first half
            for (int i = 0; i < 4000; i++) {
                d.example("xor", LearnerDriver.example("e" + i, XOR_LABELS[i % 4], XOR_ROWS[i % 4]));
            }
            d.predictions.readRecordsToList();
            for (int i = 0; i < 4; i++) {
                d.query("xor", "{\"id\":\"q" + i + "\",\"features\":" + java.util.Arrays.toString(XOR_ROWS[i]) + "}");
            }

            List<JsonNode> answers = LearnerDriver.read(d.predictions);
            for (int i = 0; i < 4; i++) {
                JsonNode a = answers.get(i);
                assertEquals(1000, a.get("version").asLong());
                assertEquals(XOR_LABELS[i], a.get("output").get(0).asDouble(), 0.2, "row " + i);
                assertFalse(a.has("loss"), "queries have no label and no loss");
            }
            List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
            assertEquals(3, snapshots.size(), "at creation, after update 500 and after update 1000");
            JsonNode last = snapshots.get(2);
            assertEquals(1000, last.get("version").asLong());
            assertEquals(4000, last.get("examplesSeen").asLong());
            assertEquals(3999, last.get("inputOffsets").get(d.config.examplesTopic() + "-0").asLong());
        }
    }

    @Test
    void shouldTrainAPartialBatchOnceStreamTimeHasMovedOn() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);
            d.spec("other", XOR_SPEC);
            long start = d.time();
            d.exampleAt("xor", LearnerDriver.example("a", 0, 0, 0, 1), start + 1);
            d.exampleAt("xor", LearnerDriver.example("b", 1, 0, 1, 0), start + 2);
            // another model's example, 9999 ms after the first: not yet past the 10 s wait
            d.exampleAt("other", LearnerDriver.example("c", 1, 1, 0, 0), start + 10_000);
            d.queryAt("xor", "{\"features\": [0, 0, 1]}", start + 10_000);
            assertEquals(0, LearnerDriver.read(d.predictions).get(3).get("version").asLong());

            // 10,000 ms after the oldest pending example: the next record triggers the step first
            d.queryAt("xor", "{\"features\": [0, 0, 1]}", start + 10_001);

            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            assertEquals(1, predictions.get(0).get("version").asLong(), "xor trained on its 2 pending examples");
            assertEquals(2, LearnerDriver.read(d.snapshots).size(), "creation snapshots only");
        }
    }

    @Test
    void shouldAnswerQueriesWithoutLearning() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);
            for (int i = 0; i < 10; i++) {
                d.query("xor", "{\"id\": " + i + ", \"features\": [1, 1, 1]}");
            }

            List<JsonNode> answers = LearnerDriver.read(d.predictions);
            assertEquals(10, answers.size());
            assertEquals("9", answers.get(9).get("id").asText());
            assertEquals(0, answers.get(9).get("version").asLong());
            assertEquals(answers.get(0).get("output"), answers.get(9).get("output"));
        }
    }

    @Test
    void shouldKeepTheWeightsWhenHyperParametersChange() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);
            for (int i = 0; i < 6; i++) {
                d.example("xor", LearnerDriver.example("e" + i, XOR_LABELS[i % 4], XOR_ROWS[i % 4]));
            }
            d.query("xor", "{\"features\": [0, 1, 0]}");
            d.spec("xor", XOR_SPEC.replace("\"learningRate\": 1.0", "\"learningRate\": 0.5"));
            d.query("xor", "{\"features\": [0, 1, 0]}");

            List<JsonNode> out = LearnerDriver.read(d.predictions);
            JsonNode before = out.get(6);
            JsonNode after = out.get(7);
            assertEquals(1, before.get("version").asLong());
            assertEquals(2, after.get("version").asLong(), "the 2 pending examples were trained on first");
            assertTrue(d.deadLetters.isEmpty());
            assertEquals(1, d.snapshots.readRecordsToList().size(), "only the creation snapshot");
        }
    }

    @Test
    void shouldRefuseAShapeChangeUnlessAskedToReset() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);
            for (int i = 0; i < 4; i++) {
                d.example("xor", LearnerDriver.example("e" + i, XOR_LABELS[i], XOR_ROWS[i]));
            }
            String wider = XOR_SPEC.replace("[3, 2, 1]", "[3, 4, 1]");
            d.spec("xor", wider);
            JsonNode refused = LearnerDriver.read(d.deadLetters).get(0);
            assertEquals("shape_change", refused.get("reason").asText());
            assertTrue(refused.get("message").asText().contains("[3, 2, 1] to [3, 4, 1]"));

            d.spec("xor", wider.replaceFirst("\\{", "{\"reset\": true, "));
            d.query("xor", "{\"features\": [0, 1, 0]}");

            List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
            assertEquals(2, snapshots.size());
            assertEquals(4, snapshots.get(1).get("state").get("layers").get(0).get("outputs").asInt());
            List<JsonNode> out = LearnerDriver.read(d.predictions);
            assertEquals(0, out.get(out.size() - 1).get("version").asLong(), "a fresh model");
        }
    }

    @Test
    void shouldDeleteAModelOnATombstone() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", XOR_SPEC);
            d.snapshots.readRecordsToList();
            d.models.pipeInput(LearnerDriver.bytes("xor"), (byte[]) null);
            d.query("xor", "{\"features\": [0, 1, 0]}");

            List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
            assertEquals(1, snapshots.size());
            assertNull(snapshots.get(0), "a tombstone clears the model's snapshot");
            assertEquals("unknown_model", LearnerDriver.read(d.deadLetters).get(0).get("reason").asText());
        }
    }

    @Test
    void shouldGiveTheSameWeightsWhenTheSameInputIsReplayed() {
        String[] finals = new String[2];
        for (int run = 0; run < 2; run++) {
            try (LearnerDriver d = new LearnerDriver()) {
                d.spec("m", "{\"layers\": [3, 8, 2], \"outputActivation\": \"softmax\","
                        + " \"loss\": \"categorical_cross_entropy\", \"batchSize\": 7, \"standardize\": true,"
                        + " \"snapshotEvery\": 10}");
                for (int i = 0; i < 700; i++) {
                    d.example("m", LearnerDriver.example("e" + i, i % 2, XOR_ROWS[i % 4]));
                }
                List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
                assertEquals(11, snapshots.size());
                finals[run] = snapshots.get(10).get("state").toString();
            }
        }
        assertEquals(finals[0], finals[1]);
    }

    /**
     * Examples are logged by reference (20 bytes each, in one chunk per batch here) with a
     * marker per step. A 3-256-1 Adam model's state (about 25 KB) outweighs 100 steps of such a
     * log, so the 100-step limit decides: the log grows to 99 steps and one chunk, then a
     * checkpoint empties it.
     */
    @Test
    void shouldLogExamplesByReferenceAndCheckpointEveryHundredSteps() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", "{\"layers\": [3, 256, 1], \"batchSize\": 4, \"snapshotEvery\": 0}");
            int largest = 0;
            int emptied = 0;
            for (int i = 0; i < 1000; i++) {
                d.example("m", LearnerDriver.example("e" + i, i % 3, XOR_ROWS[i % 4]));
                var store = d.driver.<String, byte[]>getKeyValueStore(LearnerTopology.LOG_STORE);
                int entries = count(store);
                emptied += largest > 0 && entries == 0 ? 1 : 0;
                largest = Math.max(largest, entries);
                try (var all = store.all()) {
                    all.forEachRemaining(e -> assertTrue(TrainingLog.kind(e.value) == TrainingLog.REFS
                            && e.value.length <= 5 + 4 * TrainingLog.REF_BYTES
                            || TrainingLog.kind(e.value) == TrainingLog.STEP, "entry " + e.key));
                }
            }
            assertEquals(2 * 99 + 1, largest);
            assertEquals(2, emptied, "checkpoints at versions 100 and 200");
        }
    }

    /**
     * When a model's log has referred to the examples topic for longer than the configured age,
     * a wall-clock punctuation checkpoints the model and copies its pending examples into the
     * log. What is learned does not change.
     */
    @Test
    void shouldCopyPendingExamplesIntoTheLogWhenItsReferencesAge() {
        String spec = "{\"layers\": [3, 8, 1], \"batchSize\": 4, \"snapshotEvery\": 5}";
        String[] finals = new String[2];
        for (int run = 0; run < 2; run++) {
            try (LearnerDriver d = new LearnerDriver()) {
                d.spec("m", spec);
                for (int i = 0; i < 6; i++) {
                    d.example("m", LearnerDriver.example("e" + i, i % 2, XOR_ROWS[i % 4]));
                }
                if (run == 1) {
                    d.driver.advanceWallClockTime(Duration.ofHours(2));
                    List<Byte> kinds = new ArrayList<>();
                    try (var all = d.driver.<String, byte[]>getKeyValueStore(LearnerTopology.LOG_STORE).all()) {
                        all.forEachRemaining(e -> kinds.add(TrainingLog.kind(e.value)));
                    }
                    assertEquals(List.of(TrainingLog.EXAMPLE, TrainingLog.EXAMPLE), kinds);
                }
                for (int i = 6; i < 20; i++) {
                    d.example("m", LearnerDriver.example("e" + i, i % 2, XOR_ROWS[i % 4]));
                }
                List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
                assertEquals(5, snapshots.get(snapshots.size() - 1).get("version").asLong());
                finals[run] = snapshots.get(snapshots.size() - 1).get("state").toString();
            }
        }
        assertEquals(finals[0], finals[1]);
    }

    /**
     * Class names take output units in the order they are first seen; a third name grows a
     * two-unit softmax layer to three without losing what the model learned of the first two.
     */
    @Test
    void shouldLearnNamedClassesAndGrowTheOutputLayerForANewOne() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", "{\"layers\": [2, 16, 2], \"outputActivation\": \"softmax\", \"loss\":"
                    + " \"categorical_cross_entropy\", \"batchSize\": 4, \"snapshotEvery\": 0,"
                    + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.05}}");
            String[] names = {"cat", "dog", "bird"};
            double[][] centres = {{-2, -2}, {2, 2}, {-2, 2}};
            java.util.SplittableRandom random = new java.util.SplittableRandom(3);
            for (int i = 0; i < 400; i++) {
                int c = i % 2;
                d.example("m", named("e" + i, names[c], centres[c], random));
            }
            d.predictions.readRecordsToList();
            // the first "bird": the layer grows, and cats and dogs are still told apart
            d.example("m", named("b0", "bird", centres[2], random));
            d.query("m", "{\"features\": [-2, -2]}");
            d.query("m", "{\"features\": [2, 2]}");
            List<JsonNode> out = LearnerDriver.read(d.predictions);
            assertEquals("bird", out.get(0).get("label").asText());
            assertEquals(3, out.get(0).get("output").size());
            assertEquals("cat", out.get(1).get("className").asText());
            assertEquals("dog", out.get(2).get("className").asText());
            for (int i = 0; i < 600; i++) {
                int c = i % 3;
                d.example("m", named("f" + i, names[c], centres[c], random));
            }
            d.query("m", "{\"features\": [-2, 2]}");
            List<JsonNode> after = LearnerDriver.read(d.predictions);
            assertEquals("bird", after.get(after.size() - 1).get("className").asText());

            d.spec("m", "{\"layers\": [2, 16, 2], \"outputActivation\": \"softmax\", \"loss\":"
                    + " \"categorical_cross_entropy\", \"batchSize\": 4, \"snapshotEvery\": 1}");
            assertTrue(LearnerDriver.read(d.deadLetters).isEmpty(), "a spec for two classes keeps the third");
            d.example("m", named("g", "dog", centres[1], random));
            d.example("m", named("h", "cat", centres[0], random));
            d.example("m", named("i", "dog", centres[1], random));
            d.example("m", named("j", "cat", centres[0], random));
            List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
            JsonNode last = snapshots.get(snapshots.size() - 1);
            assertEquals(List.of("cat", "dog", "bird"), List.of(last.get("learner").get("classNames").get(0).asText(),
                    last.get("learner").get("classNames").get(1).asText(),
                    last.get("learner").get("classNames").get(2).asText()));
            assertEquals(3, last.get("state").get("spec").get("layers").get(2).asInt());
        }
    }

    @Test
    void shouldRefuseNumbersForNamedClassesAndNamesForRegression() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("named", "{\"layers\": [2, 4, 2], \"outputActivation\": \"softmax\", \"loss\":"
                    + " \"categorical_cross_entropy\", \"batchSize\": 2}");
            d.spec("reg", "{\"layers\": [2, 4, 1], \"batchSize\": 2}");
            d.example("named", "{\"features\": [1, 2], \"label\": \"yes\"}");
            d.example("named", "{\"features\": [1, 2], \"label\": 1}");
            d.example("reg", "{\"features\": [1, 2], \"label\": \"high\"}");
            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(2, dead.size());
            assertEquals("wrong_label_kind", dead.get(0).get("reason").asText());
            assertTrue(dead.get(0).get("message").asText().contains("names its classes [yes]"), dead.get(0).toString());
            assertEquals("wrong_label_kind", dead.get(1).get("reason").asText());
            assertTrue(dead.get(1).get("message").asText().contains("not a softmax classifier"), dead.get(1).toString());
        }
    }

    private static String named(String id, String label, double[] centre, java.util.SplittableRandom random) {
        return "{\"id\": \"" + id + "\", \"features\": [" + (centre[0] + random.nextGaussian() * 0.5) + ", "
                + (centre[1] + random.nextGaussian() * 0.5) + "], \"label\": \"" + label + "\"}";
    }

    private static int count(org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store) {
        int n = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }
}
