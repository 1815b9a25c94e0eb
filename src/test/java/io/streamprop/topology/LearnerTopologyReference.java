package io.streamprop.topology;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** An uninterrupted run of the learner topology, in a TopologyTestDriver, as a reference. */
public final class LearnerTopologyReference {
    private LearnerTopologyReference() {
    }

    /**
     * Feeds the spec to every model named in {@code examples}, then the examples in order with
     * their timestamps, and returns each model's last snapshot.
     */
    public static Map<String, JsonNode> finalSnapshots(String spec, List<ProducerRecord<String, String>> examples,
                                                       String examplesTopic) {
        Map<String, String> settings = Map.of(StreampropConfig.EXAMPLES_TOPIC, examplesTopic,
                StreampropConfig.PARTIAL_BATCH_WAIT_MS, String.valueOf(86_400_000L));
        try (LearnerDriver d = new LearnerDriver(settings)) {
            examples.stream().map(ProducerRecord::key).distinct().forEach(model ->
                    d.models.pipeInput(LearnerDriver.bytes(model), LearnerDriver.bytes(spec),
                            Instant.ofEpochMilli(examples.get(0).timestamp() - 1)));
            for (ProducerRecord<String, String> r : examples) {
                d.examples.pipeInput(LearnerDriver.bytes(r.key()), LearnerDriver.bytes(r.value()),
                        Instant.ofEpochMilli(r.timestamp()));
            }
            Map<String, JsonNode> last = new HashMap<>();
            for (JsonNode s : LearnerDriver.read(d.snapshots)) {
                last.put(s.get("model").asText(), s);
            }
            return last;
        }
    }
}
