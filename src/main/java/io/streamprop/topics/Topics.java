package io.streamprop.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.TopicConfig;

/**
 * Streamprop's topics, defined once: the topology, the tests, the command-line tool and
 * {@code ops/create-topics.sh} all take names and settings from here. The files under
 * {@code topics/} repeat these definitions for operators; a test fails when the two differ.
 *
 * <p>The four input topics ({@link #MODELS}, {@link #EXAMPLES}, {@link #LABELS}, {@link #QUERIES}) are read
 * together by key, so they must be co-partitioned: the same partition count, and keys written
 * with the same partitioner.
 */
public final class Topics {
    /** Partitions of every Streamprop topic; the input topics must share one count. */
    public static final int DEFAULT_PARTITIONS = 6;

    private static final int MIB = 1024 * 1024;

    /**
     * Model definitions: key = model id, value = the network spec as JSON, or a snapshot to
     * warm-start the model from. Latest value per model kept. A snapshot can be as large as one
     * on {@link #SNAPSHOTS}, hence the same limit and compression.
     */
    public static final TopicDefinition MODELS = compacted("streamprop.models", 128 * MIB,
            new TreeMap<>(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd")));

    /** Labelled training examples: key = model id. */
    public static final TopicDefinition EXAMPLES = deletedAfter("streamprop.examples", Duration.ofDays(7), MIB);

    /**
     * Labels that arrive after their example: key = model id, value = the example's id and its
     * label. Kept as long as the examples, which wait for them at most the label window.
     */
    public static final TopicDefinition LABELS = deletedAfter("streamprop.labels", Duration.ofDays(7), MIB);

    /** Inputs to predict without training: key = model id. */
    public static final TopicDefinition QUERIES = deletedAfter("streamprop.queries", Duration.ofDays(1), MIB);

    /** One prediction per example and per query: key = model id. */
    public static final TopicDefinition PREDICTIONS = deletedAfter("streamprop.predictions", Duration.ofDays(7), MIB);

    /**
     * Model snapshots (weights, optimizer state, provenance) as JSON: key = model id, latest per
     * model kept. The broker stores them zstd-compressed. The limit applies to a batch as the
     * producer sends it, before the broker recompresses: a 784-1024-256-10 network (1.07 million
     * parameters) with Adam state measured 65.4 MiB as JSON, 29.8 MiB with zstd, so 128 MiB lets
     * a million-parameter model through even from a producer that does not compress.
     */
    public static final TopicDefinition SNAPSHOTS = compacted("streamprop.snapshots", 128 * MIB,
            new TreeMap<>(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd")));

    /** Records that could not be processed, with the reason. */
    public static final TopicDefinition DEAD_LETTERS = deletedAfter("streamprop.dead-letters", Duration.ofDays(30),
            8 * MIB);

    /**
     * Prequential evaluation of each model beside its baselines, at a cadence of examples, on
     * every snapshot and at every drift alarm: key = model id.
     */
    public static final TopicDefinition METRICS = deletedAfter("streamprop.metrics", Duration.ofDays(30), MIB);

    private static final List<TopicDefinition> ALL = List.of(MODELS, EXAMPLES, LABELS, QUERIES, PREDICTIONS,
            SNAPSHOTS, DEAD_LETTERS, METRICS);
    private static final List<TopicDefinition> CO_PARTITIONED_INPUTS = List.of(MODELS, EXAMPLES, LABELS, QUERIES);

    private Topics() {
    }

    /** Every Streamprop topic, inputs first. */
    public static List<TopicDefinition> all() {
        return ALL;
    }

    /** The input topics that must have the same partition count. */
    public static List<TopicDefinition> coPartitionedInputs() {
        return CO_PARTITIONED_INPUTS;
    }

    /** The names of {@link #coPartitionedInputs()}. */
    public static List<String> coPartitionedInputNames() {
        return names(CO_PARTITIONED_INPUTS);
    }

    /**
     * The given definitions renamed to {@code prefix + name}, for tests that share a cluster
     * and must not touch the real topics.
     */
    public static List<TopicDefinition> withPrefix(String prefix, List<TopicDefinition> definitions) {
        Objects.requireNonNull(prefix, "prefix can't be null");
        return definitions.stream()
                .map(definition -> definition.withName(prefix + definition.name()))
                .collect(Collectors.toUnmodifiableList());
    }

    /** The names of the definitions, in their order. */
    public static List<String> names(List<TopicDefinition> definitions) {
        return definitions.stream().map(TopicDefinition::name).collect(Collectors.toUnmodifiableList());
    }

    private static TopicDefinition compacted(String name, int maxMessageBytes, SortedMap<String, String> extras) {
        return new TopicDefinition(name, DEFAULT_PARTITIONS, TopicDefinition.BROKER_DEFAULT_REPLICATION,
                CleanupPolicy.COMPACT, TopicDefinition.RETAIN_FOREVER, maxMessageBytes, extras);
    }

    private static TopicDefinition deletedAfter(String name, Duration retention, int maxMessageBytes) {
        return new TopicDefinition(name, DEFAULT_PARTITIONS, TopicDefinition.BROKER_DEFAULT_REPLICATION,
                CleanupPolicy.DELETE, retention.toMillis(), maxMessageBytes);
    }
}
