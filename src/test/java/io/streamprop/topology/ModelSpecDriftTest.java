package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.eval.PageHinkleySettings;
import io.streamprop.nn.InvalidSpecException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The "onDrift" and "drift" fields of a models-topic message. */
class ModelSpecDriftTest {
    private static final String BASE = "{\"layers\": [3, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\"";

    @Test
    void shouldDetectOnlyWhenTheSpecSaysNothing() {
        ModelSpec spec = parse(BASE + "}");

        assertEquals(DriftSpec.DEFAULTS, spec.drift());
        assertEquals(DriftReaction.NONE, spec.drift().reaction());
    }

    @Test
    void shouldReadEveryField() {
        ModelSpec spec = parse(BASE + ", \"onDrift\": \"reset_optimizer\", \"drift\": {\"delta\": 0.01,"
                + " \"lambda\": 25, \"minInstances\": 100, \"alpha\": 1, \"learningRateFactor\": 2.5, \"boostSteps\": 40}}");

        assertEquals(new DriftSpec(DriftReaction.RESET_OPTIMIZER, new PageHinkleySettings(0.01, 25, 100, 1.0), 2.5, 40),
                spec.drift());
        assertEquals(DriftReaction.RESET_MODEL, parse(BASE + ", \"onDrift\": \"reset_model\"}").drift().reaction());
    }

    @Test
    void shouldTakeDefaultsForMissingSettings() {
        DriftSpec drift = parse(BASE + ", \"drift\": {\"lambda\": 10}}").drift();

        assertEquals(DriftReaction.NONE, drift.reaction());
        assertEquals(10.0, drift.detector().lambda());
        assertEquals(DriftSpec.DEFAULT_DETECTOR.delta(), drift.detector().delta());
        assertEquals(DriftSpec.DEFAULT_BOOST_STEPS, drift.boostSteps());
    }

    @Test
    void shouldWriteWhatItReads() {
        ModelSpec spec = parse(BASE + ", \"onDrift\": \"reset_model\", \"drift\": {\"lambda\": 12.5}}");

        JsonNode json = spec.toJsonTree();

        assertEquals("reset_model", json.get("onDrift").asText());
        assertEquals(12.5, json.get("drift").get("lambda").asDouble());
        assertEquals(spec.withDrift(spec.drift()), parse(json.toString()).withDrift(spec.drift()));
        assertEquals(spec.drift(), parse(json.toString()).drift());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown reaction|\"onDrift\": \"retrain\"|onDrift: expected one of [none, reset_optimizer, reset_model], got \"retrain\"",
        "reaction not a string|\"onDrift\": true|onDrift: expected one of",
        "settings not an object|\"drift\": 5|drift: expected an object",
        "unknown setting|\"drift\": {\"threshold\": 5}|drift.threshold: unknown field",
        "negative delta|\"drift\": {\"delta\": -0.1}|drift.delta: expected a finite number >= 0, got -0.1",
        "zero lambda|\"drift\": {\"lambda\": 0}|drift.lambda: expected a finite number > 0, got 0.0",
        "alpha above one|\"drift\": {\"alpha\": 1.5}|drift.alpha: expected a number in (0, 1], got 1.5",
        "no instances|\"drift\": {\"minInstances\": 0}|drift.minInstances: expected an integer from 1",
        "fractional instances|\"drift\": {\"minInstances\": 2.5}|drift.minInstances: expected an integer, got 2.5",
        "text lambda|\"drift\": {\"lambda\": \"high\"}|drift.lambda: expected a number, got \"high\"",
        "zero factor|\"drift\": {\"learningRateFactor\": 0}|drift.learningRateFactor: expected a finite number > 0",
        "negative boost|\"drift\": {\"boostSteps\": -3}|drift.boostSteps: expected an integer from 0 to 2147483647, got -3",
    })
    void shouldRefuseBadDriftFieldsNamingThem(String name, String fields, String message) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> parse(BASE + ", " + fields + "}"));

        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void shouldKeepTheDriftSettingsInTheModelMetadata() {
        DriftSpec drift = parse(BASE + ", \"onDrift\": \"reset_model\", \"drift\": {\"lambda\": 7}}").drift();

        ModelMeta meta = ModelMeta.decode(new ModelMeta(5, Map.of("t-0", 3L), null, false, drift).encode());
        ModelMeta plain = ModelMeta.decode(new ModelMeta(5, Map.of()).encode());

        assertEquals(drift, meta.drift);
        assertEquals(DriftSpec.DEFAULTS, plain.drift);
    }

    @Test
    void shouldDeadLetterASpecWithABadDriftField() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("m", BASE + ", \"onDrift\": \"panic\"}");

            List<JsonNode> dead = LearnerDriver.read(d.deadLetters);
            assertEquals(1, dead.size());
            assertEquals("invalid_spec", dead.get(0).get("reason").asText());
            assertTrue(dead.get(0).get("message").asText().contains("onDrift"), dead.get(0).toString());
            assertTrue(d.snapshots.isEmpty(), "no model was created");
        }
    }

    private static ModelSpec parse(String json) {
        return ModelSpec.fromJson(LearnerDriver.bytes(json));
    }
}
