package io.streamprop.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The learner's small, often written record of one model, kept apart from the weights so that
 * adding an example to the pending batch does not rewrite them: the learner settings, the size
 * and age of the pending batch, and which input offsets the weights reflect.
 */
final class ModelMeta {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    int snapshotEvery;
    /** Examples in the pending batch; they are stored under slots 0 to pendingCount - 1. */
    int pendingCount;
    /** Timestamp of the oldest pending example; meaningless when none is pending. */
    long pendingSince;
    /** Offset of the newest pending example, per "topic-partition". */
    final Map<String, Long> pendingOffsets = new TreeMap<>();
    /** Offset of the newest example that the weights reflect, per "topic-partition". */
    final Map<String, Long> learnedOffsets = new TreeMap<>();

    ModelMeta(int snapshotEvery) {
        this.snapshotEvery = snapshotEvery;
    }

    byte[] encode() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("snapshotEvery", snapshotEvery);
        node.put("pendingCount", pendingCount);
        node.put("pendingSince", pendingSince);
        ObjectNode pending = node.putObject("pendingOffsets");
        pendingOffsets.forEach(pending::put);
        ObjectNode learned = node.putObject("learnedOffsets");
        learnedOffsets.forEach(learned::put);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ModelMeta decode(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            ModelMeta meta = new ModelMeta(node.get("snapshotEvery").intValue());
            meta.pendingCount = node.get("pendingCount").intValue();
            meta.pendingSince = node.get("pendingSince").longValue();
            node.get("pendingOffsets").properties().forEach(e -> meta.pendingOffsets.put(e.getKey(),
                    e.getValue().longValue()));
            node.get("learnedOffsets").properties().forEach(e -> meta.learnedOffsets.put(e.getKey(),
                    e.getValue().longValue()));
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException("model metadata in the state store is unreadable", e);
        }
    }
}
