package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamprop.nn.ModelCodec;
import io.streamprop.nn.ModelJson;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A snapshot sent to the models topic warm-starts a model with the snapshot's exact state. */
class SnapshotImportTest {
    /** Adam and standardisation, so that optimizer moments and feature statistics travel too. */
    static final String SPEC = "{\"layers\": [3, 4, 2], \"hiddenActivation\": \"tanh\","
            + " \"outputActivation\": \"softmax\", \"loss\": \"categorical_cross_entropy\", \"batchSize\": 4,"
            + " \"seed\": 7, \"standardize\": true, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.05},"
            + " \"snapshotEvery\": 25}";
    static final double[][] ROWS = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {1, 1, 1}, {0.5, 2, -1}};

    @Test
    void shouldWarmStartAnotherModelThatThenPredictsAndLearnsIdentically() {
        try (LearnerDriver d = new LearnerDriver()) {
            byte[] snapshotOfA = trainedSnapshot(d, "a");
            JsonNode exported = LearnerDriver.parse(snapshotOfA);
            assertEquals(25, exported.get("version").asLong());

            d.models.pipeInput(LearnerDriver.bytes("b"), snapshotOfA, Instant.ofEpochMilli(d.time()));

            List<JsonNode> snapshots = LearnerDriver.read(d.snapshots);
            assertEquals(1, snapshots.size(), "the warm-started model is snapshotted at once");
            JsonNode imported = snapshots.get(0);
            assertEquals("b", imported.get("model").asText());
            assertEquals(25, imported.get("version").asLong());
            assertEquals(100, imported.get("examplesSeen").asLong());
            assertEquals(25, imported.get("learner").get("snapshotEvery").asInt());
            assertEquals(0, imported.get("inputOffsets").size(), "the offsets of a's examples are not b's");
            assertEquals(exported.get("state"), imported.get("state"));
            byte[] checkpointOfB = d.driver.<String, byte[]>getKeyValueStore(LearnerTopology.WEIGHTS_STORE).get("b");
            assertArrayEquals(ModelCodec.encode(ModelJson.read(exported.get("state"))), checkpointOfB,
                    "weights, moments, statistics and counters bit for bit");

            for (int i = 0; i < 40; i++) {
                String example = LearnerDriver.example("e" + i, i % 2, ROWS[i % ROWS.length]);
                d.example("a", example);
                d.example("b", example);
            }
            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            assertEquals(80, predictions.size());
            for (int i = 0; i < 80; i += 2) {
                JsonNode ofA = predictions.get(i);
                JsonNode ofB = predictions.get(i + 1);
                assertEquals(ofA.get("version"), ofB.get("version"), "example " + i / 2);
                assertEquals(ofA.get("output"), ofB.get("output"), "example " + i / 2);
                assertEquals(ofA.get("loss"), ofB.get("loss"), "example " + i / 2);
            }
            assertEquals(34, predictions.get(79).get("version").asLong());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldReplaceAModelOfAnotherShapeAndDropItsPendingExamples() {
        try (LearnerDriver d = new LearnerDriver()) {
            byte[] snapshotOfA = trainedSnapshot(d, "a");
            d.spec("b", LearnerTopologyTest.XOR_SPEC);
            d.example("b", LearnerDriver.example("pending", 1, 0, 1, 0));
            d.snapshots.readRecordsToList();

            d.models.pipeInput(LearnerDriver.bytes("b"), snapshotOfA, Instant.ofEpochMilli(d.time()));
            d.query("a", "{\"features\": [1, 0, 1]}");
            d.query("b", "{\"features\": [1, 0, 1]}");

            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            JsonNode ofA = predictions.get(1);
            JsonNode ofB = predictions.get(2);
            assertEquals(ofA.get("output"), ofB.get("output"));
            assertEquals(25, ofB.get("version").asLong());
            assertEquals(100, LearnerDriver.read(d.snapshots).get(0).get("examplesSeen").asLong(),
                    "the pending example of the old b is gone");
            assertTrue(d.deadLetters.isEmpty(), "a snapshot replaces a model of any shape");
        }
    }

    @Test
    void shouldCarryTheClassNamesOverToTheWarmStartedModel() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("a", "{\"layers\": [2, 4, 2], \"outputActivation\": \"softmax\", \"loss\":"
                    + " \"categorical_cross_entropy\", \"batchSize\": 2, \"snapshotEvery\": 6}");
            String[] names = {"cat", "dog", "bird"};
            for (int i = 0; i < 12; i++) {
                d.example("a", "{\"features\": [" + (i % 3) + ", 1], \"label\": \"" + names[i % 3] + "\"}");
            }
            List<TestRecord<byte[], byte[]>> snapshots = d.snapshots.readRecordsToList();
            byte[] latest = snapshots.get(snapshots.size() - 1).value();
            assertEquals("[\"cat\",\"dog\",\"bird\"]",
                    LearnerDriver.parse(latest).get("learner").get("classNames").toString());

            d.models.pipeInput(LearnerDriver.bytes("b"), latest, Instant.ofEpochMilli(d.time()));
            d.example("b", "{\"features\": [2, 1], \"label\": \"bird\"}");
            d.query("a", "{\"features\": [1, 1]}");
            d.query("b", "{\"features\": [1, 1]}");

            assertEquals(LearnerDriver.parse(latest).get("learner"),
                    LearnerDriver.read(d.snapshots).get(0).get("learner"));
            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            assertEquals(3, predictions.get(12).get("output").size(), "bird keeps its unit in b");
            assertTrue(d.deadLetters.isEmpty(), "b takes the names a learned");
            assertEquals(predictions.get(13).get("className"), predictions.get(14).get("className"));
        }
    }

    @Test
    void shouldCarryTheDriftSettingsOverToTheWarmStartedModel() {
        String spec = SPEC.replace("\"snapshotEvery\": 25}", "\"snapshotEvery\": 25, \"onDrift\": \"reset_optimizer\","
                + " \"drift\": {\"lambda\": 7, \"boostSteps\": 20}}");
        DriftSpec drift = ModelSpec.fromJson(LearnerDriver.bytes(spec)).drift();
        try (LearnerDriver d = new LearnerDriver()) {
            byte[] snapshotOfA = trainedSnapshot(d, "a", spec);
            JsonNode learner = LearnerDriver.parse(snapshotOfA).get("learner");
            assertEquals("reset_optimizer", learner.get("onDrift").asText());
            assertEquals(7.0, learner.get("drift").get("lambda").asDouble());
            assertEquals(20, learner.get("drift").get("boostSteps").asInt());
            assertEquals(drift, ModelSnapshot.fromJson(snapshotOfA).drift());

            d.models.pipeInput(LearnerDriver.bytes("b"), snapshotOfA, Instant.ofEpochMilli(d.time()));

            assertEquals(learner, LearnerDriver.read(d.snapshots).get(0).get("learner"), "b's own snapshot");
            assertEquals(drift, ModelMeta.decode(d.driver.<String, byte[]>getKeyValueStore(LearnerTopology.META_STORE)
                    .get("b")).drift, "b's metadata");
            assertEquals(drift, ModelEvaluation.fromBytes(d.driver.<String, byte[]>getKeyValueStore(
                    LearnerTopology.EVALUATION_STORE).get("b")).drift(), "the detector and reaction b runs with");
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldLeaveTheDriftSettingsOutOfTheSnapshotOfAModelWithTheDefaults() {
        try (LearnerDriver d = new LearnerDriver()) {
            byte[] snapshot = trainedSnapshot(d, "a");

            assertEquals("{\"snapshotEvery\":25}", LearnerDriver.parse(snapshot).get("learner").toString());
            assertEquals(DriftSpec.DEFAULTS, ModelSnapshot.fromJson(snapshot).drift());
        }
    }

    static Stream<Arguments> brokenSnapshots() {
        return Stream.of(
                Arguments.of("a weight row missing", (Function<ObjectNode, String>) s -> {
                    ((ArrayNode) s.get("state").get("layers").get(0).get("weights")).remove(0);
                    return s.toString();
                }, "invalid snapshot: state: layers[0].weights: expected 3 rows"),
                Arguments.of("a bias too large for a double", (Function<ObjectNode, String>) s -> {
                    ((ArrayNode) s.get("state").get("layers").get(1).get("bias")).set(0, 12345.678);
                    return s.toString().replace("12345.678", "1e999");
                }, "invalid snapshot: state: layers[1].bias[0]: expected a finite number, got one beyond the range"
                        + " of a double"),
                Arguments.of("a version that is not the state's",
                        (Function<ObjectNode, String>) s -> s.put("version", 3).toString(),
                        "invalid snapshot: version 3 and examplesSeen 100 disagree with the state's updatesApplied 25"
                                + " and examplesSeen 100"),
                Arguments.of("no model id", (Function<ObjectNode, String>) s -> {
                    s.remove("model");
                    return s.toString();
                }, "invalid snapshot: model: expected the id of the model it was taken from, got null"),
                Arguments.of("a state that is not an object",
                        (Function<ObjectNode, String>) s -> s.put("state", 3).toString(),
                        "invalid snapshot: state: expected the model state as an object"),
                Arguments.of("a class name twice", (Function<ObjectNode, String>) s -> {
                    ((ObjectNode) s.get("learner")).putArray("classNames").add("cat").add("cat");
                    return s.toString();
                }, "invalid snapshot: learner.classNames: expected distinct names, got [\"cat\",\"cat\"]"),
                Arguments.of("a drift setting out of range", (Function<ObjectNode, String>) s -> {
                    ((ObjectNode) s.get("learner")).put("onDrift", "reset_model").putObject("drift").put("lambda", -1);
                    return s.toString();
                }, "invalid snapshot: learner.drift.lambda: expected a finite number > 0, got -1.0"),
                Arguments.of("an unknown drift reaction", (Function<ObjectNode, String>) s -> {
                    ((ObjectNode) s.get("learner")).put("onDrift", "retrain");
                    return s.toString();
                }, "invalid snapshot: learner.onDrift: expected one of [none, reset_optimizer, reset_model], got"
                        + " \"retrain\""),
                Arguments.of("an unknown optimizer", (Function<ObjectNode, String>) s -> {
                    ((ObjectNode) s.get("state").get("spec").get("optimizer")).put("type", "lbfgs");
                    return s.toString();
                }, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSnapshots")
    void shouldDeadLetterAnUnreadableSnapshotAndLeaveTheModelAsItWas(String name, Function<ObjectNode, String> breaker,
                                                                     String message) {
        try (LearnerDriver d = new LearnerDriver()) {
            byte[] snapshotOfA = trainedSnapshot(d, "a");
            d.query("a", "{\"features\": [1, 0, 1]}");
            String broken = breaker.apply((ObjectNode) LearnerDriver.parse(snapshotOfA));

            d.spec("a", broken);
            d.query("a", "{\"features\": [1, 0, 1]}");

            List<JsonNode> deadLetters = LearnerDriver.read(d.deadLetters);
            assertEquals(1, deadLetters.size());
            assertEquals("invalid_snapshot", deadLetters.get(0).get("reason").asText());
            if (message != null) {
                assertEquals(message, deadLetters.get(0).get("message").asText());
            } else {
                assertTrue(deadLetters.get(0).get("message").asText().startsWith(
                        "invalid snapshot: state: model JSON has an invalid spec: invalid spec: optimizer.type"),
                        deadLetters.get(0).get("message").asText());
            }
            assertEquals(broken, deadLetters.get(0).get("payload").asText());
            assertTrue(d.snapshots.isEmpty(), "no snapshot: the model did not change");
            List<JsonNode> answers = LearnerDriver.read(d.predictions);
            assertEquals(answers.get(0).get("output"), answers.get(1).get("output"));
            assertEquals(25, answers.get(1).get("version").asLong());
        }
    }

    @Test
    void shouldLeaveTheBytesOfALargeUnreadableSnapshotOutOfItsDeadLetter() {
        try (LearnerDriver d = new LearnerDriver()) {
            String padding = "x".repeat(LearnerProcessor.MAX_SNAPSHOT_BYTES_IN_DEAD_LETTER);
            String value = "{\"model\": \"a\", \"version\": 0, \"examplesSeen\": 0, \"padding\": \"" + padding
                    + "\", \"state\": {}}";

            d.spec("a", value);

            JsonNode deadLetter = LearnerDriver.read(d.deadLetters).get(0);
            assertEquals("invalid snapshot: state: model JSON lacks the field format (the snapshot's "
                    + value.length() + " bytes are not copied here)", deadLetter.get("message").asText());
            assertTrue(deadLetter.get("payload").isNull());
            assertEquals("a", deadLetter.get("key").asText());
        }
    }

    @Test
    void shouldTellSnapshotsFromSpecsByTheirStateField() {
        assertTrue(ModelSnapshot.isSnapshot(LearnerDriver.bytes("{\"model\": \"m\", \"learner\": {\"state\": 1},"
                + " \"state\": {}}")));
        assertEquals(false, ModelSnapshot.isSnapshot(LearnerDriver.bytes(SPEC)));
        assertEquals(false, ModelSnapshot.isSnapshot(LearnerDriver.bytes("{\"learner\": {\"state\": 1}}")));
        assertEquals(false, ModelSnapshot.isSnapshot(LearnerDriver.bytes("[{\"state\": 1}]")));
        assertEquals(false, ModelSnapshot.isSnapshot(LearnerDriver.bytes("{\"state\"")));
    }

    /** Creates {@code model}, trains it for 25 updates and returns its snapshot at version 25. */
    private static byte[] trainedSnapshot(LearnerDriver d, String model) {
        return trainedSnapshot(d, model, SPEC);
    }

    /** As {@link #trainedSnapshot(LearnerDriver, String)}, with a spec like {@link #SPEC}. */
    private static byte[] trainedSnapshot(LearnerDriver d, String model, String spec) {
        d.spec(model, spec);
        for (int i = 0; i < 100; i++) {
            d.example(model, LearnerDriver.example("t" + i, (i / 2) % 2, ROWS[i % ROWS.length]));
        }
        d.predictions.readRecordsToList();
        List<TestRecord<byte[], byte[]>> snapshots = d.snapshots.readRecordsToList();
        assertEquals(2, snapshots.size(), "at creation and at version 25");
        return snapshots.get(1).value();
    }
}
