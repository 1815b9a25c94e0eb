package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad input goes to dead letters with its reason and origin, and the learner runs on. */
class DeadLetterTest {
    private static final String CLASSIFIER = "{\"layers\": [3, 4, 3], \"outputActivation\": \"softmax\","
            + " \"loss\": \"categorical_cross_entropy\", \"batchSize\": 2}";
    private static final String BINARY = "{\"layers\": [3, 4, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 2}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json|this is not json|not_json|not valid JSON",
        "a JSON array|[1, 2, 3]|not_json|expected a JSON object",
        "no features|{\"label\": 1}|missing_features|no \"features\" array",
        "features not an array|{\"features\": 3, \"label\": 1}|missing_features|must be an array",
        "a string feature|{\"features\": [1, \"two\", 3], \"label\": 1}|not_numeric|features[1] must be a number, got \"two\"",
        "a NaN feature|{\"features\": [1, NaN, 3], \"label\": 1}|not_finite|features[1] is NaN",
        "an infinite feature|{\"features\": [1, 2, 1e999], \"label\": 1}|not_finite|features[2]",
        "too few features|{\"features\": [1, 2], \"label\": 1}|wrong_feature_count|features has 2 values, model 'm' expects 3",
        "too many features|{\"features\": [1, 2, 3, 4, 5, 6, 7, 8, 9], \"label\": 1}|too_large|more than 8 values",
        "no label|{\"features\": [1, 2, 3]}|missing_label|needs a \"label\"",
        "class out of range|{\"features\": [1, 2, 3], \"label\": 3}|label_out_of_range|expected an integer from 0 to 2",
        "fractional class|{\"features\": [1, 2, 3], \"label\": 1.5}|label_out_of_range|not a class",
        "label of wrong length|{\"features\": [1, 2, 3], \"label\": [0.5, 0.5]}|label_out_of_range|label has 2 values",
        "class name after class numbers|{\"features\": [1, 2, 3], \"label\": \"cat\"}|wrong_label_kind|has learned from class numbers",
        "empty class name|{\"features\": [1, 2, 3], \"label\": \"\"}|label_out_of_range|a class name must have 1 to 200 characters",
        "a boolean label|{\"features\": [1, 2, 3], \"label\": true}|not_numeric|label must be a number",
    })
    void shouldDeadLetterABadExampleAndCarryOn(String name, String payload, String reason, String message) {
        try (LearnerDriver d = new LearnerDriver(Map.of(StreampropConfig.MAX_FEATURES, "8"))) {
            d.spec("m", CLASSIFIER);
            d.example("m", LearnerDriver.example("good-1", 0, 1, 2, 3));
            d.example("m", payload);
            d.example("m", LearnerDriver.example("good-2", 1, 1, 2, 3));

            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(1, dead.size());
            JsonNode letter = dead.get(0);
            assertEquals(reason, letter.get("reason").asText());
            assertTrue(letter.get("message").asText().contains(message), letter.get("message").asText());
            assertEquals(d.config.examplesTopic(), letter.get("topic").asText());
            assertEquals(0, letter.get("partition").asInt());
            assertEquals(1, letter.get("offset").asLong());
            assertEquals("m", letter.get("key").asText());
            assertEquals(payload, letter.get("payload").asText());
            assertEquals(1.0, deadLetterTotal(d, reason), "counted in the learner's metrics");
            // nothing else is lost: both good examples were predicted and made one full batch
            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            assertEquals(2, predictions.size());
            d.query("m", "{\"features\": [1, 2, 3]}");
            assertEquals(1, LearnerDriver.read(d.predictions).get(0).get("version").asLong());
        }
    }

    private static double deadLetterTotal(LearnerDriver d, String reason) {
        String name = "dead-letters-" + reason.replace('_', '-') + "-total";
        return d.driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-streamprop-metrics") && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    @Test
    void shouldDeadLetterALabelOutsideZeroToOneForBinaryCrossEntropy() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("b", BINARY);
            d.example("b", LearnerDriver.example("x", 2, 1, 2, 3));

            JsonNode letter = LearnerDriver.read(d.deadLetters).get(0);
            assertEquals("label_out_of_range", letter.get("reason").asText());
            assertTrue(letter.get("message").asText().contains("outside [0, 1]"));
        }
    }

    @Test
    void shouldDeadLetterExamplesForAModelWithoutASpec() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.example("ghost", LearnerDriver.example("x", 1, 1, 2, 3));
            d.query("ghost", "{\"features\": [1, 2, 3]}");

            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(2, dead.size());
            assertEquals("unknown_model", dead.get(0).get("reason").asText());
            assertEquals(d.config.queriesTopic(), dead.get(1).get("topic").asText());
        }
    }

    @Test
    void shouldDeadLetterARecordWithoutKey() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.examples.pipeInput(null, LearnerDriver.bytes(LearnerDriver.example("x", 1, 1, 2, 3)));

            JsonNode letter = LearnerDriver.read(d.deadLetters).get(0);
            assertEquals("missing_key", letter.get("reason").asText());
            assertTrue(letter.get("key").isNull());
        }
    }

    @Test
    void shouldKeepBinaryPayloadsAsBase64() {
        try (LearnerDriver d = new LearnerDriver()) {
            byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 1, 2};
            d.examples.pipeInput(LearnerDriver.bytes("m"), garbage);

            JsonNode letter = LearnerDriver.read(d.deadLetters).get(0);
            assertEquals("not_json", letter.get("reason").asText());
            assertEquals(java.util.Base64.getEncoder().encodeToString(garbage),
                    letter.get("payloadBase64").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown field|{\"layers\": [3, 2, 1], \"colour\": \"red\"}|colour: unknown field",
        "invalid value|{\"layers\": [3, 0, 1]}|layers[1]",
        "bad snapshotEvery|{\"layers\": [3, 2, 1], \"snapshotEvery\": -1}|snapshotEvery",
        "not json|{layers|not valid JSON",
        "softmax with mse|{\"layers\": [3, 2, 2], \"outputActivation\": \"softmax\"}|mse cannot train a softmax",
    })
    void shouldDeadLetterAnInvalidSpec(String name, String spec, String message) {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", spec);

            JsonNode letter = LearnerDriver.read(d.deadLetters).get(0);
            assertEquals("invalid_spec", letter.get("reason").asText());
            assertTrue(letter.get("message").asText().contains(message), letter.get("message").asText());
            assertEquals(d.config.modelsTopic(), letter.get("topic").asText());
            assertTrue(d.snapshots.isEmpty());
        }
    }

    @Test
    void shouldDeadLetterAStepThatWouldCorruptTheModel() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", "{\"layers\": [1, 1], \"hiddenActivation\": \"identity\", \"batchSize\": 1,"
                    + " \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 1e300}}");
            d.example("m", "{\"features\": [1e200], \"label\": -1e200}");
            d.example("m", "{\"features\": [1], \"label\": 1}");

            JsonNode letter = LearnerDriver.read(d.deadLetters).get(0);
            assertEquals("step_rejected", letter.get("reason").asText());
            assertTrue(letter.get("message").asText().contains("was not applied: loss or gradient is not finite"),
                    letter.get("message").asText());
            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            assertEquals(0, predictions.get(1).get("version").asLong(), "the refused step left version 0");
            assertTrue(Double.isFinite(predictions.get(1).get("output").get(0).asDouble()));
            String payload = new String(LearnerDriver.bytes(letter.get("payload").asText()), StandardCharsets.UTF_8);
            assertTrue(payload.contains("1e200"), payload);
        }
    }
}
