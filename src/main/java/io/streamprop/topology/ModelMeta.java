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
 * What the learner keeps beside a model's checkpointed weights, written with them: its learner
 * settings and the input offsets that the checkpoint reflects.
 */
final class ModelMeta {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final int snapshotEvery;
    /** Offset of the newest example that the checkpoint reflects, per "topic-partition". */
    final Map<String, Long> learnedOffsets;

    ModelMeta(int snapshotEvery, Map<String, Long> learnedOffsets) {
        this.snapshotEvery = snapshotEvery;
        this.learnedOffsets = new TreeMap<>(learnedOffsets);
    }

    byte[] encode() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("snapshotEvery", snapshotEvery);
        ObjectNode learned = node.putObject("learnedOffsets");
        learnedOffsets.forEach(learned::put);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ModelMeta decode(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            Map<String, Long> learned = new TreeMap<>();
            node.get("learnedOffsets").properties().forEach(e -> learned.put(e.getKey(), e.getValue().longValue()));
            return new ModelMeta(node.get("snapshotEvery").intValue(), learned);
        } catch (IOException e) {
            throw new UncheckedIOException("model metadata in the state store is unreadable", e);
        }
    }
}
