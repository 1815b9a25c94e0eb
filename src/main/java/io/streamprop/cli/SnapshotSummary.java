package io.streamprop.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The provenance of a snapshot, read without its weights: a snapshot of a large model is tens
 * of megabytes, of which this reads the few fields at the top and the spec inside the state,
 * and skips the rest token by token without building it.
 *
 * @param model the model it was taken of
 * @param version updates applied
 * @param time when it was taken (ISO-8601), or null
 * @param softwareVersion the learner's version, or null
 * @param snapshotEvery the learner setting, or null
 * @param inputOffsets offset of the newest example learned from, per topic-partition
 * @param spec the network spec inside the state
 * @param layers the layer sizes, inputs first
 * @param stepsRejected training steps refused as non-finite, or -1 if unknown
 * @param sizeBytes the size of the whole snapshot
 */
record SnapshotSummary(String model, long version, long examplesSeen, String time, String softwareVersion,
                       Integer snapshotEvery, Map<String, Long> inputOffsets, JsonNode spec, List<Integer> layers,
                       long stepsRejected, int sizeBytes) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads the summary of a snapshot's JSON.
     *
     * @throws IllegalArgumentException when the value is not a snapshot
     */
    static SnapshotSummary read(byte[] value) {
        Fields f = new Fields();
        try (JsonParser p = MAPPER.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a snapshot: expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "model" -> f.model = p.getValueAsString();
                    case "version" -> f.version = p.getValueAsLong(-1);
                    case "examplesSeen" -> f.examplesSeen = p.getValueAsLong(-1);
                    case "time" -> f.time = p.getValueAsString();
                    case "softwareVersion" -> f.softwareVersion = p.getValueAsString();
                    case "inputOffsets" -> readOffsets(p.readValueAsTree(), f.inputOffsets);
                    case "learner" -> f.snapshotEvery = snapshotEvery(p.readValueAsTree());
                    case "state" -> readState(p, f);
                    default -> {
                        if (token.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a snapshot: " + e.getMessage(), e);
        }
        if (f.model == null || f.version < 0 || f.layers.isEmpty()) {
            throw new IllegalArgumentException("not a snapshot: it lacks the model, version or layers");
        }
        return new SnapshotSummary(f.model, f.version, f.examplesSeen, f.time, f.softwareVersion, f.snapshotEvery,
                f.inputOffsets, f.spec, f.layers, f.stepsRejected, value.length);
    }

    /** The layer sizes joined by dashes, such as {@code 784-256-10}. */
    String shape() {
        return layers.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }

    /** Weights and biases of a dense network with these layers. */
    long parameterCount() {
        long count = 0;
        for (int l = 0; l + 1 < layers.size(); l++) {
            count += (long) layers.get(l) * layers.get(l + 1) + layers.get(l + 1);
        }
        return count;
    }

    private static void readState(JsonParser p, Fields f) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            if (field.equals("spec")) {
                JsonNode spec = p.readValueAsTree();
                f.spec = spec;
                JsonNode layers = spec == null ? null : spec.get("layers");
                if (layers != null && layers.isArray()) {
                    layers.forEach(size -> f.layers.add(size.asInt()));
                }
            } else if (field.equals("stepsRejected")) {
                f.stepsRejected = p.getValueAsLong(-1);
            } else if (token.isStructStart()) {
                p.skipChildren();
            }
        }
    }

    private static void readOffsets(JsonNode node, Map<String, Long> offsets) {
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> offsets.put(e.getKey(), e.getValue().asLong()));
        }
    }

    private static Integer snapshotEvery(JsonNode learner) {
        JsonNode every = learner == null ? null : learner.get("snapshotEvery");
        return every == null || !every.isIntegralNumber() ? null : every.intValue();
    }

    /** Fields as they are found, in any order. */
    private static final class Fields {
        String model;
        long version = -1;
        long examplesSeen = -1;
        String time;
        String softwareVersion;
        Integer snapshotEvery;
        final Map<String, Long> inputOffsets = new TreeMap<>();
        JsonNode spec;
        final List<Integer> layers = new ArrayList<>();
        long stepsRejected = -1;
    }
}
