package io.streamprop.topology;

import io.streamprop.stats.LearningStats;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the learner topology:
 * <pre>
 *   models ───┐
 *   examples ─┼─> learner ─┬─> predictions
 *   queries ──┘   (stores: ├─> snapshots
 *                  weights, ├─> dead-letters
 *                  meta,    └─> metrics
 *                  training log, awaiting labels,
 *                  learning curves, evaluation)
 * </pre>
 * All inputs are keyed by model id and must have the same number of partitions.
 */
public final class LearnerTopology {
    static final String WEIGHTS_STORE = "streamprop-weights";
    static final String META_STORE = "streamprop-meta";
    static final String LOG_STORE = "streamprop-training-log";
    static final String AWAITING_STORE = "streamprop-awaiting-labels";
    static final String CURVES_STORE = "streamprop-curves";
    static final String EVALUATION_STORE = "streamprop-evaluation";
    static final String LEARNER = "learner";
    static final String PREDICTIONS_SINK = "predictions-sink";
    static final String SNAPSHOTS_SINK = "snapshots-sink";
    static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    static final String METRICS_SINK = "metrics-sink";

    private LearnerTopology() {
    }

    public static Topology build(StreampropConfig config, String softwareVersion) {
        return build(config, softwareVersion, new LearningStats());
    }

    /** The topology, whose learner tasks report how their models learn to {@code stats}. */
    public static Topology build(StreampropConfig config, String softwareVersion, LearningStats stats) {
        Topology topology = new Topology();
        var keys = Serdes.Bytes();
        var values = Serdes.ByteArray();
        topology.addSource("models-source", keys.deserializer(), values.deserializer(), config.modelsTopic());
        topology.addSource("examples-source", keys.deserializer(), values.deserializer(), config.examplesTopic());
        topology.addSource("labels-source", keys.deserializer(), values.deserializer(), config.labelsTopic());
        topology.addSource("queries-source", keys.deserializer(), values.deserializer(), config.queriesTopic());
        topology.addProcessor(LEARNER, () -> new LearnerProcessor(config, softwareVersion, stats),
                "models-source", "examples-source", "labels-source", "queries-source");
        Map<String, String> changelog = Map.of("max.message.bytes", String.valueOf(config.maxRecordBytes()));
        topology.addStateStore(store(WEIGHTS_STORE, changelog), LEARNER);
        topology.addStateStore(store(META_STORE, Map.of()), LEARNER);
        topology.addStateStore(store(LOG_STORE, changelog), LEARNER);
        topology.addStateStore(store(AWAITING_STORE, Map.of()), LEARNER);
        topology.addStateStore(store(CURVES_STORE, Map.of()), LEARNER);
        topology.addStateStore(store(EVALUATION_STORE, changelog), LEARNER);
        topology.addSink(PREDICTIONS_SINK, config.predictionsTopic(), keys.serializer(), values.serializer(), LEARNER);
        topology.addSink(SNAPSHOTS_SINK, config.snapshotsTopic(), keys.serializer(), values.serializer(), LEARNER);
        topology.addSink(DEAD_LETTERS_SINK, config.deadLettersTopic(), keys.serializer(), values.serializer(),
                LEARNER);
        topology.addSink(METRICS_SINK, config.metricsTopic(), keys.serializer(), values.serializer(), LEARNER);
        return topology;
    }

    /**
     * A persistent store with a changelog and a cache: a value written several times between two
     * commits (a training-log entry written and deleted again, a checkpoint replaced by the next)
     * reaches the changelog once per commit, or not at all.
     */
    private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name, Map<String, String> changelog) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                        Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingEnabled(changelog);
    }
}
