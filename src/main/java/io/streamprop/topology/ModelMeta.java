package io.streamprop.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the learner keeps beside a model's checkpointed weights, written with them: its learner
 * settings (snapshots, drift reaction), the input offsets that the checkpoint reflects, and how
 * its labels are written (class names, in unit order, or numbers).
 */
final class ModelMeta {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final int snapshotEvery;
    /** Offset of the newest example that the checkpoint reflects, per "topic-partition". */
    final Map<String, Long> learnedOffsets;
    /** The class names in unit order, or null when the model's labels are not names. */
    final List<String> classNames;
    /** Whether the model has been given numeric class labels, which rules out names. */
    final boolean numericClasses;
    /** How drift in the model's loss is detected and met. */
    final DriftSpec drift;

    ModelMeta(int snapshotEvery, Map<String, Long> learnedOffsets) {
        this(snapshotEvery, learnedOffsets, null, false, DriftSpec.DEFAULTS);
    }

    ModelMeta(int snapshotEvery, Map<String, Long> learnedOffsets, List<String> classNames, boolean numericClasses,
              DriftSpec drift) {
        this.drift = drift;
        this.snapshotEvery = snapshotEvery;
        this.learnedOffsets = new TreeMap<>(learnedOffsets);
        this.classNames = classNames == null ? null : List.copyOf(classNames);
        this.numericClasses = numericClasses;
    }

    byte[] encode() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("snapshotEvery", snapshotEvery);
        ObjectNode learned = node.putObject("learnedOffsets");
        learnedOffsets.forEach(learned::put);
        if (classNames != null) {
            classNames.forEach(node.putArray("classNames")::add);
        }
        if (numericClasses) {
            node.put("numericClasses", true);
        }
        if (!drift.equals(DriftSpec.DEFAULTS)) {
            drift.writeTo(node);
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ModelMeta decode(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            Map<String, Long> learned = new TreeMap<>();
            node.get("learnedOffsets").properties().forEach(e -> learned.put(e.getKey(), e.getValue().longValue()));
            List<String> names = null;
            if (node.has("classNames")) {
                names = new ArrayList<>();
                for (JsonNode n : node.get("classNames")) {
                    names.add(n.asText());
                }
            }
            return new ModelMeta(node.get("snapshotEvery").intValue(), learned, names,
                    node.path("numericClasses").asBoolean(false),
                    DriftSpec.fromJson(node.get(DriftSpec.REACTION_FIELD), node.get(DriftSpec.SETTINGS_FIELD)));
        } catch (IOException e) {
            throw new UncheckedIOException("model metadata in the state store is unreadable", e);
        }
    }
}
