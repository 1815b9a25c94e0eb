package io.streamprop.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamprop.nn.InvalidSpecException;
import io.streamprop.nn.NetworkSpec;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A message on the models topic: a {@link NetworkSpec} plus the fields that steer the learner
 * rather than the network. They share one flat JSON object:
 * <pre>{"layers": [3, 2, 1], ..., "snapshotEvery": 100, "reset": false, "onDrift": "none", "drift": {...}}</pre>
 *
 * @param network the network and how it learns
 * @param snapshotEvery emit a snapshot every this many updates; 0 means only when created
 * @param reset whether a change of layer sizes may replace the model with a fresh one
 * @param drift how drift in the model's loss is detected and met ({@link DriftSpec})
 */
public record ModelSpec(NetworkSpec network, int snapshotEvery, boolean reset, DriftSpec drift) {
    public static final int DEFAULT_SNAPSHOT_EVERY = 100;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> OWN_FIELDS = Set.of("snapshotEvery", "reset", DriftSpec.REACTION_FIELD,
            DriftSpec.SETTINGS_FIELD);

    public ModelSpec {
        if (network == null) {
            throw new InvalidSpecException("(document)", "no network spec");
        }
        if (drift == null) {
            throw new InvalidSpecException(DriftSpec.SETTINGS_FIELD, "no drift settings");
        }
        if (snapshotEvery < 0) {
            throw new InvalidSpecException("snapshotEvery",
                    "expected an integer >= 0 (0: only when the model is created), got " + snapshotEvery);
        }
    }

    /** A spec with the default drift settings: detection only. */
    public ModelSpec(NetworkSpec network, int snapshotEvery, boolean reset) {
        this(network, snapshotEvery, reset, DriftSpec.DEFAULTS);
    }

    public static ModelSpec of(NetworkSpec network) {
        return new ModelSpec(network, DEFAULT_SNAPSHOT_EVERY, false);
    }

    /** This spec with other drift settings. */
    public ModelSpec withDrift(DriftSpec newDrift) {
        return new ModelSpec(network, snapshotEvery, reset, newDrift);
    }

    /** Parses a models-topic value; every problem is an {@link InvalidSpecException}. */
    public static ModelSpec fromJson(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException("(document)", "not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidSpecException("(document)", "unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException("(document)", "expected a JSON object");
        }
        ObjectNode networkFields = ((ObjectNode) root).deepCopy();
        int snapshotEvery = DEFAULT_SNAPSHOT_EVERY;
        JsonNode every = networkFields.remove("snapshotEvery");
        if (every != null) {
            if (!every.isIntegralNumber() || !every.canConvertToInt()) {
                throw new InvalidSpecException("snapshotEvery", "expected an integer >= 0, got " + every);
            }
            snapshotEvery = every.intValue();
        }
        boolean reset = false;
        JsonNode resetNode = networkFields.remove("reset");
        if (resetNode != null) {
            if (!resetNode.isBoolean()) {
                throw new InvalidSpecException("reset", "expected true or false, got " + resetNode);
            }
            reset = resetNode.booleanValue();
        }
        DriftSpec drift = DriftSpec.fromJson(networkFields.remove(DriftSpec.REACTION_FIELD),
                networkFields.remove(DriftSpec.SETTINGS_FIELD));
        networkFields.fieldNames().forEachRemaining(name -> {
            if (!NetworkSpec.jsonFields().contains(name)) {
                java.util.TreeSet<String> known = new java.util.TreeSet<>(NetworkSpec.jsonFields());
                known.addAll(OWN_FIELDS);
                throw new InvalidSpecException(name, "unknown field; known fields are " + known);
            }
        });
        return new ModelSpec(NetworkSpec.fromJson(networkFields), snapshotEvery, reset, drift);
    }

    /** The JSON of this spec, without {@code reset}, which is an instruction, not a setting. */
    public ObjectNode toJsonTree() {
        ObjectNode node = network.toJsonTree();
        node.put("snapshotEvery", snapshotEvery);
        drift.writeTo(node);
        return node;
    }

    public byte[] toJsonBytes() {
        return toJsonTree().toString().getBytes(StandardCharsets.UTF_8);
    }
}
