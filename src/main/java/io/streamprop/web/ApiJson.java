package io.streamprop.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamprop.serde.Rejection;
import io.streamprop.stats.LearningCurve;
import io.streamprop.stats.ModelProgress;
import io.streamprop.topology.StoredModels;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/** The JSON documents of the REST API. Numbers that are not finite are written as null. */
final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    /**
     * One model: {"id", "instance", "version", "examplesSeen", "pendingExamples", "parameters",
     * "spec", "metrics"}, where "metrics" (null until the learner here has used the model)
     * holds {"examples", "examplesPerSecond", "loss", "accuracy", "lastSnapshotTime",
     * "snapshotAgeSeconds", "deadLetters"}.
     */
    static ObjectNode model(StoredModels.ModelView view, Optional<ModelProgress> progress, String instance,
                            long nowMs) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", view.id());
        node.put("instance", instance);
        node.put("version", view.version());
        node.put("examplesSeen", view.examplesSeen());
        node.put("pendingExamples", view.pendingExamples());
        node.put("parameters", view.parameters());
        node.set("spec", view.spec().toJsonTree());
        if (progress.isEmpty()) {
            node.putNull("metrics");
            return node;
        }
        ModelProgress p = progress.get();
        ObjectNode metrics = node.putObject("metrics");
        metrics.put("examples", p.examples());
        number(metrics, "examplesPerSecond", p.examplesPerSecond(nowMs));
        number(metrics, "loss", p.recentLoss());
        number(metrics, "accuracy", p.recentAccuracy());
        if (p.lastSnapshotTime() >= 0) {
            metrics.put("lastSnapshotTime", Instant.ofEpochMilli(p.lastSnapshotTime()).toString());
        } else {
            metrics.putNull("lastSnapshotTime");
        }
        OptionalDouble age = p.snapshotAgeSeconds(nowMs);
        number(metrics, "snapshotAgeSeconds", age.isPresent() ? age.getAsDouble() : Double.NaN);
        ObjectNode dead = metrics.putObject("deadLetters");
        for (Rejection r : Rejection.values()) {
            if (p.deadLetters(r) > 0) {
                dead.put(r.code(), p.deadLetters(r));
            }
        }
        return node;
    }

    /**
     * A learning curve as parallel arrays, one entry per point: {"id", "instance", "window",
     * "examples", "loss", "accuracy" (null entries for models that are not classifiers), "time"}.
     */
    static ObjectNode curve(String modelId, LearningCurve curve, String instance) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", modelId);
        node.put("instance", instance);
        node.put("window", curve.window());
        ArrayNode examples = node.putArray("examples");
        ArrayNode loss = node.putArray("loss");
        ArrayNode accuracy = node.putArray("accuracy");
        ArrayNode time = node.putArray("time");
        for (int i = 0; i < curve.size(); i++) {
            examples.add(curve.examples(i));
            element(loss, curve.loss(i));
            element(accuracy, curve.accuracy(i));
            time.add(curve.time(i));
        }
        return node;
    }

    /** {"model", "version", "output", "class" (classifiers only), "instance"}. */
    static ObjectNode prediction(StoredModels.Prediction p, String instance) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("model", p.model());
        node.put("version", p.version());
        ArrayNode output = node.putArray("output");
        for (double v : p.output()) {
            element(output, v);
        }
        if (p.predictedClass() >= 0) {
            node.put("class", p.predictedClass());
        }
        node.put("instance", instance);
        return node;
    }

    /** {"error": code, "message": text}. */
    static ObjectNode error(String code, String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error", code);
        node.put("message", message);
        return node;
    }

    private static void number(ObjectNode node, String field, double v) {
        if (Double.isFinite(v)) {
            node.put(field, v);
        } else {
            node.putNull(field);
        }
    }

    private static void element(ArrayNode array, double v) {
        if (Double.isFinite(v)) {
            array.add(v);
        } else {
            array.addNull();
        }
    }
}
