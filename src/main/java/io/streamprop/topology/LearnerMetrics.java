package io.streamprop.topology;

import io.streamprop.serde.Rejection;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The learner's counters, registered with Kafka Streams' metrics (group
 * {@code stream-streamprop-metrics}, one entity per task), so that they appear wherever the
 * application's metrics are read: JMX, {@code KafkaStreams.metrics()}, exporters.
 */
final class LearnerMetrics {
    private static final String SCOPE = "streamprop";

    private final Sensor examples;
    private final Sensor queries;
    private final Sensor updates;
    private final Sensor lostOnReplay;
    private final Map<Rejection, Sensor> deadLetters = new EnumMap<>(Rejection.class);

    LearnerMetrics(StreamsMetrics metrics, String taskId) {
        String entity = "task-" + taskId;
        examples = metrics.addRateTotalSensor(SCOPE, entity, "examples", Sensor.RecordingLevel.INFO);
        queries = metrics.addRateTotalSensor(SCOPE, entity, "queries", Sensor.RecordingLevel.INFO);
        updates = metrics.addRateTotalSensor(SCOPE, entity, "updates", Sensor.RecordingLevel.INFO);
        lostOnReplay = metrics.addRateTotalSensor(SCOPE, entity, "examples-lost-on-replay",
                Sensor.RecordingLevel.INFO);
        for (Rejection r : Rejection.values()) {
            deadLetters.put(r, metrics.addRateTotalSensor(SCOPE, entity, "dead-letters-" + r.code().replace('_', '-'),
                    Sensor.RecordingLevel.INFO));
        }
    }

    void example() {
        examples.record();
    }

    void query() {
        queries.record();
    }

    void update() {
        updates.record();
    }

    /** A model was rebuilt without {@code examples} that the examples topic no longer held. */
    void lostOnReplay(int examples) {
        // the sensor counts recordings: one per lost example
        for (int i = 0; i < examples; i++) {
            lostOnReplay.record();
        }
    }

    void deadLetter(Rejection reason) {
        deadLetters.get(reason).record();
    }
}
