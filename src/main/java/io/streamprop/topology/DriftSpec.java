package io.streamprop.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamprop.eval.PageHinkleySettings;
import io.streamprop.nn.InvalidSpecException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the learner watches a model's loss for concept drift, and what it does on an alarm: the
 * {@code "onDrift"} and {@code "drift"} fields of a models-topic message,
 * <pre>
 *   "onDrift": "reset_optimizer",
 *   "drift": {"delta": 0.05, "lambda": 100, "minInstances": 30, "alpha": 0.9999,
 *             "learningRateFactor": 10, "boostSteps": 100}
 * </pre>
 * Every field is optional. The detector is a Page-Hinkley test on the loss of each prediction
 * (test, then train), in the loss's own units; it runs whatever the reaction, and its alarms go
 * to the metrics topic.
 *
 * @param reaction           what to do on an alarm
 * @param detector           the Page-Hinkley test's parameters
 * @param learningRateFactor for {@link DriftReaction#RESET_OPTIMIZER}: the learning rate's multiplier
 *                           after the restart
 * @param boostSteps         for {@link DriftReaction#RESET_OPTIMIZER}: how many updates the multiplier lasts
 */
public record DriftSpec(DriftReaction reaction, PageHinkleySettings detector, double learningRateFactor,
                        int boostSteps) {
    /**
     * delta 0.05 in units of loss: a log loss that rises by less than that does not accumulate
     * evidence; lambda 100; 30 examples at least; alpha 1 - 1e-4 as in Gama et al. Measured on
     * SEA with 10% noise (100,000 examples, changes every 25,000), a 3-16-16-1 network's log loss
     * raised one alarm after each change and no other; lambda 50 raised five, three of them away from
     * any change.
     */
    public static final PageHinkleySettings DEFAULT_DETECTOR = new PageHinkleySettings(0.05, 100.0, 30, 1.0 - 1e-4);
    /**
     * A restart takes away Adam's own surge after a change (its second moment lags behind the
     * larger gradients), so the learning rate needs a boost: on SEA with its classes swapped
     * after 50,000 examples, a 3-16-16-1 network got 85% of the next 1,000 right with factor 10
     * for 100 updates, 79% with no reaction and 57% with a restart alone.
     */
    public static final double DEFAULT_LEARNING_RATE_FACTOR = 10.0;
    public static final int DEFAULT_BOOST_STEPS = 100;
    /** No reaction, the default detector and boost. */
    public static final DriftSpec DEFAULTS = new DriftSpec(DriftReaction.NONE, DEFAULT_DETECTOR,
            DEFAULT_LEARNING_RATE_FACTOR, DEFAULT_BOOST_STEPS);

    static final String REACTION_FIELD = "onDrift";
    static final String SETTINGS_FIELD = "drift";
    private static final Set<String> SETTINGS = Set.of("delta", "lambda", "minInstances", "alpha",
            "learningRateFactor", "boostSteps");

    public DriftSpec {
        if (reaction == null) {
            throw new InvalidSpecException(REACTION_FIELD, "expected one of " + reactionNames());
        }
        if (detector == null) {
            throw new InvalidSpecException(SETTINGS_FIELD, "no detector settings");
        }
        if (!(learningRateFactor > 0.0) || Double.isInfinite(learningRateFactor)) {
            throw new InvalidSpecException("drift.learningRateFactor", "expected a finite number > 0, got "
                    + learningRateFactor);
        }
        if (boostSteps < 0) {
            throw new InvalidSpecException("drift.boostSteps", "expected an integer >= 0, got " + boostSteps);
        }
    }

    /**
     * Reads the two fields from a models-topic message; either or both may be null (absent).
     *
     * @throws InvalidSpecException naming the field at fault
     */
    static DriftSpec fromJson(JsonNode reactionNode, JsonNode settingsNode) {
        DriftReaction reaction = DEFAULTS.reaction;
        if (reactionNode != null) {
            reaction = reactionNode.isTextual() ? DriftReaction.byJsonName(reactionNode.textValue()) : null;
            if (reaction == null) {
                throw new InvalidSpecException(REACTION_FIELD, "expected one of " + reactionNames() + ", got "
                        + reactionNode);
            }
        }
        if (settingsNode == null) {
            return new DriftSpec(reaction, DEFAULTS.detector, DEFAULTS.learningRateFactor, DEFAULTS.boostSteps);
        }
        if (!settingsNode.isObject()) {
            throw new InvalidSpecException(SETTINGS_FIELD, "expected an object with any of " + new TreeSet<>(SETTINGS)
                    + ", got " + settingsNode);
        }
        settingsNode.fieldNames().forEachRemaining(name -> {
            if (!SETTINGS.contains(name)) {
                throw new InvalidSpecException("drift." + name, "unknown field; known fields are "
                        + new TreeSet<>(SETTINGS));
            }
        });
        PageHinkleySettings d = DEFAULTS.detector;
        double delta = number(settingsNode, "delta", d.delta());
        if (!(delta >= 0.0) || Double.isInfinite(delta)) {
            throw new InvalidSpecException("drift.delta", "expected a finite number >= 0, got " + delta);
        }
        double lambda = number(settingsNode, "lambda", d.lambda());
        if (!(lambda > 0.0) || Double.isInfinite(lambda)) {
            throw new InvalidSpecException("drift.lambda", "expected a finite number > 0, got " + lambda);
        }
        double alpha = number(settingsNode, "alpha", d.alpha());
        if (!(alpha > 0.0 && alpha <= 1.0)) {
            throw new InvalidSpecException("drift.alpha", "expected a number in (0, 1], got " + alpha);
        }
        long minInstances = integer(settingsNode, "minInstances", d.minInstances());
        if (minInstances < 1 || minInstances > Integer.MAX_VALUE) {
            throw new InvalidSpecException("drift.minInstances", "expected an integer from 1 to "
                    + Integer.MAX_VALUE + ", got " + minInstances);
        }
        PageHinkleySettings detector = new PageHinkleySettings(delta, lambda, (int) minInstances, alpha);
        long boostSteps = integer(settingsNode, "boostSteps", DEFAULTS.boostSteps);
        if (boostSteps < 0 || boostSteps > Integer.MAX_VALUE) {
            throw new InvalidSpecException("drift.boostSteps", "expected an integer from 0 to "
                    + Integer.MAX_VALUE + ", got " + boostSteps);
        }
        return new DriftSpec(reaction, detector, number(settingsNode, "learningRateFactor",
                DEFAULTS.learningRateFactor), (int) boostSteps);
    }

    /** The {@code "drift"} object, every field written. */
    ObjectNode settingsJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("delta", detector.delta());
        node.put("lambda", detector.lambda());
        node.put("minInstances", detector.minInstances());
        node.put("alpha", detector.alpha());
        node.put("learningRateFactor", learningRateFactor);
        node.put("boostSteps", boostSteps);
        return node;
    }

    /** Adds both fields to a models-topic message. */
    void writeTo(ObjectNode spec) {
        spec.put(REACTION_FIELD, reaction.jsonName());
        spec.set(SETTINGS_FIELD, settingsJson());
    }

    private static double number(JsonNode node, String field, double fallback) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new InvalidSpecException("drift." + field, "expected a number, got " + value);
        }
        return value.doubleValue();
    }

    private static long integer(JsonNode node, String field, long fallback) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidSpecException("drift." + field, "expected an integer, got " + value);
        }
        return value.longValue();
    }

    private static String reactionNames() {
        return Arrays.toString(Arrays.stream(DriftReaction.values()).map(DriftReaction::jsonName).toArray());
    }
}
