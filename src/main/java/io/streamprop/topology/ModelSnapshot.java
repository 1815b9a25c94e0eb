package io.streamprop.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamprop.nn.CorruptModelException;
import io.streamprop.nn.InvalidSpecException;
import io.streamprop.nn.Model;
import io.streamprop.nn.ModelJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A snapshot as the learner writes it to the snapshots topic (see {@link OutputRecords#snapshot}),
 * read back: the model state and what the learner keeps beside it (snapshot cadence, drift
 * settings, class names). Sent to the models topic, a snapshot warm-starts a model with its
 * exact state and settings.
 * Fields that this version does not know are ignored, so that snapshots of later versions with
 * more provenance still load.
 */
public final class ModelSnapshot {
    /** The field that holds the model state; its presence tells a snapshot from a spec. */
    static final String STATE = "state";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final String modelId;
    private final long version;
    private final long examplesSeen;
    private final String time;
    private final int snapshotEvery;
    private final DriftSpec drift;
    private final List<String> classNames;
    private final Model model;

    private ModelSnapshot(String modelId, long version, long examplesSeen, String time, int snapshotEvery,
                          DriftSpec drift, List<String> classNames, Model model) {
        this.modelId = modelId;
        this.version = version;
        this.examplesSeen = examplesSeen;
        this.time = time;
        this.snapshotEvery = snapshotEvery;
        this.drift = drift;
        this.classNames = classNames;
        this.model = model;
    }

    /**
     * Whether a value is a snapshot rather than a spec: a JSON object with a top-level
     * {@code "state"} field. It reads no further than that field; a value that is not JSON is
     * no snapshot.
     */
    public static boolean isSnapshot(byte[] value) {
        if (value == null) {
            return false;
        }
        try (JsonParser parser = FACTORY.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if (STATE.equals(parser.currentName())) {
                    return true;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a snapshot and decodes its model state.
     *
     * @throws InvalidSnapshotException naming the field when the value is not a whole snapshot
     */
    public static ModelSnapshot fromJson(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSnapshotException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidSnapshotException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSnapshotException("expected a JSON object");
        }
        JsonNode id = root.get("model");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new InvalidSnapshotException("model: expected the id of the model it was taken from, got " + id);
        }
        long version = count(root, "version");
        long examplesSeen = count(root, "examplesSeen");
        JsonNode state = root.get(STATE);
        if (state == null || !state.isObject()) {
            throw new InvalidSnapshotException("state: expected the model state as an object");
        }
        Model model;
        try {
            model = ModelJson.read(state);
        } catch (CorruptModelException e) {
            throw new InvalidSnapshotException("state: " + e.getMessage());
        }
        if (model.updatesApplied() != version || model.examplesSeen() != examplesSeen) {
            throw new InvalidSnapshotException("version " + version + " and examplesSeen " + examplesSeen
                    + " disagree with the state's updatesApplied " + model.updatesApplied() + " and examplesSeen "
                    + model.examplesSeen());
        }
        JsonNode time = root.get("time");
        JsonNode learner = root.get("learner");
        return new ModelSnapshot(id.asText(), version, examplesSeen, time == null ? null : time.asText(),
                snapshotEvery(learner), drift(learner), classNames(learner, model.spec().outputs()), model);
    }

    private static long count(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new InvalidSnapshotException(field + ": expected an integer >= 0, got " + value);
        }
        return value.longValue();
    }

    private static int snapshotEvery(JsonNode learner) {
        JsonNode every = learner == null ? null : learner.get("snapshotEvery");
        if (every == null) {
            return ModelSpec.DEFAULT_SNAPSHOT_EVERY;
        }
        if (!every.isIntegralNumber() || !every.canConvertToInt() || every.intValue() < 0) {
            throw new InvalidSnapshotException("learner.snapshotEvery: expected an integer >= 0, got " + every);
        }
        return every.intValue();
    }

    /** The drift settings, written as in a spec; the defaults when the snapshot has none. */
    private static DriftSpec drift(JsonNode learner) {
        if (learner == null) {
            return DriftSpec.DEFAULTS;
        }
        try {
            return DriftSpec.fromJson(learner.get(DriftSpec.REACTION_FIELD), learner.get(DriftSpec.SETTINGS_FIELD));
        } catch (InvalidSpecException e) {
            // "invalid spec: drift.lambda: ..." becomes "invalid snapshot: learner.drift.lambda: ..."
            throw new InvalidSnapshotException("learner." + e.getMessage().substring("invalid spec: ".length()));
        }
    }

    /** The class names in unit order; null when the model's labels are not names. */
    private static List<String> classNames(JsonNode learner, int outputs) {
        JsonNode names = learner == null ? null : learner.get("classNames");
        if (names == null) {
            return null;
        }
        if (!names.isArray() || names.size() > outputs) {
            throw new InvalidSnapshotException("learner.classNames: expected an array of at most " + outputs
                    + " names, one per output unit, got " + names);
        }
        List<String> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode name : names) {
            if (!name.isTextual() || !seen.add(name.asText())) {
                throw new InvalidSnapshotException("learner.classNames: expected distinct names, got " + names);
            }
            list.add(name.asText());
        }
        return List.copyOf(list);
    }

    /** The id of the model the snapshot was taken from. */
    public String modelId() {
        return modelId;
    }

    /** Updates applied to the weights when the snapshot was taken. */
    public long version() {
        return version;
    }

    public long examplesSeen() {
        return examplesSeen;
    }

    /** When the snapshot was taken (ISO-8601), or null if it does not say. */
    public String time() {
        return time;
    }

    /** The snapshot cadence that travels with the model. */
    public int snapshotEvery() {
        return snapshotEvery;
    }

    /** How drift in the model's loss is detected and met, as the model had it. */
    public DriftSpec drift() {
        return drift;
    }

    /** The names of the output units, in order, when the model's labels are names; else null. */
    public List<String> classNames() {
        return classNames;
    }

    /** The decoded model state; each call of {@link #fromJson} decodes a new one. */
    public Model model() {
        return model;
    }
}
