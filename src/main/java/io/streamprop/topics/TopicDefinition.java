package io.streamprop.topics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Everything Streamprop decides about one Kafka topic: its name, partition count, replication,
 * cleanup policy, retention and largest record batch, plus any further topic configs.
 *
 * <p>{@link Topics} holds the definitions of Streamprop's own topics; {@link TopicFiles} writes
 * and reads them as files and {@link TopicCreator} creates them on a cluster.
 *
 * @param name the topic name
 * @param partitions the partition count, at least 1
 * @param replicationFactor replicas per partition, or {@link #BROKER_DEFAULT_REPLICATION} for the
 *        broker's {@code default.replication.factor}
 * @param cleanupPolicy delete old records by age, or compact by key
 * @param retentionMs how long records are kept, in ms, or {@link #RETAIN_FOREVER}
 * @param maxMessageBytes the largest record batch the topic accepts ({@code max.message.bytes})
 * @param extraConfigs further topic configs by Kafka name, such as {@code compression.type};
 *        never one of the three above, which have their own fields
 */
public record TopicDefinition(String name, int partitions, short replicationFactor,
                              CleanupPolicy cleanupPolicy, long retentionMs, int maxMessageBytes,
                              SortedMap<String, String> extraConfigs) {
    /** A replication factor that asks for the broker's {@code default.replication.factor}. */
    public static final short BROKER_DEFAULT_REPLICATION = -1;
    /** A retention that keeps records forever. */
    public static final long RETAIN_FOREVER = -1;

    /** The configs that have their own field and so may not appear among the extra configs. */
    public static final Set<String> CONFIGS_WITH_OWN_FIELD = Set.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.RETENTION_MS_CONFIG,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG);

    /**
     * @throws IllegalArgumentException when a value is out of range; the message names the value
     *         and what was expected
     */
    public TopicDefinition {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy can't be null");
        Objects.requireNonNull(extraConfigs, "extraConfigs can't be null");
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("topic name '" + name + "' is not a legal Kafka topic name: "
                    + e.getMessage(), e);
        }
        String topic = "topic " + name + ": ";
        if (partitions < 1) {
            throw new IllegalArgumentException(topic + "partitions is " + partitions + ", expected at least 1");
        }
        if (replicationFactor < 1 && replicationFactor != BROKER_DEFAULT_REPLICATION) {
            throw new IllegalArgumentException(topic + "replication factor is " + replicationFactor
                    + ", expected at least 1, or " + BROKER_DEFAULT_REPLICATION + " for the broker default");
        }
        if (retentionMs < 0 && retentionMs != RETAIN_FOREVER) {
            throw new IllegalArgumentException(topic + "retention.ms is " + retentionMs
                    + ", expected at least 0, or " + RETAIN_FOREVER + " to keep records forever");
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException(topic + "max.message.bytes is " + maxMessageBytes
                    + ", expected at least 1");
        }
        extraConfigs = Collections.unmodifiableSortedMap(new TreeMap<>(extraConfigs));
        for (Map.Entry<String, String> config : extraConfigs.entrySet()) {
            checkExtraConfig(topic, config.getKey(), config.getValue());
        }
    }

    /** A definition with these values and no extra configs. */
    public TopicDefinition(String name, int partitions, short replicationFactor, CleanupPolicy cleanupPolicy,
                           long retentionMs, int maxMessageBytes) {
        this(name, partitions, replicationFactor, cleanupPolicy, retentionMs, maxMessageBytes,
                Collections.emptySortedMap());
    }

    /** The same definition under another name, for tests that need topics of their own. */
    public TopicDefinition withName(String newName) {
        return new TopicDefinition(newName, partitions, replicationFactor, cleanupPolicy, retentionMs,
                maxMessageBytes, extraConfigs);
    }

    /** The same definition with another partition count. */
    public TopicDefinition withPartitions(int newPartitions) {
        return new TopicDefinition(name, newPartitions, replicationFactor, cleanupPolicy, retentionMs,
                maxMessageBytes, extraConfigs);
    }

    /** The same definition with one more extra config, or another value for it. */
    public TopicDefinition withExtraConfig(String configName, String value) {
        SortedMap<String, String> configs = new TreeMap<>(extraConfigs);
        configs.put(configName, value);
        return new TopicDefinition(name, partitions, replicationFactor, cleanupPolicy, retentionMs,
                maxMessageBytes, configs);
    }

    /** Whether the broker's default replication factor applies. */
    public boolean usesBrokerDefaultReplication() {
        return replicationFactor == BROKER_DEFAULT_REPLICATION;
    }

    /**
     * The Kafka topic configs: {@code cleanup.policy}, {@code retention.ms},
     * {@code max.message.bytes}, then the extra configs in name order.
     */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.configValue());
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
        configs.putAll(extraConfigs);
        return Collections.unmodifiableMap(configs);
    }

    /** The request to create this topic with the Admin client. */
    public NewTopic newTopic() {
        Optional<Short> replication = usesBrokerDefaultReplication()
                ? Optional.empty() : Optional.of(replicationFactor);
        return new NewTopic(name, Optional.of(partitions), replication).configs(topicConfigs());
    }

    private static void checkExtraConfig(String topic, String configName, String value) {
        Objects.requireNonNull(configName, "extra config names can't be null");
        if (CONFIGS_WITH_OWN_FIELD.contains(configName)) {
            throw new IllegalArgumentException(topic + "extra config '" + configName
                    + "' has its own field, expected it there and not among the extra configs");
        }
        if (configName.isBlank()) {
            throw new IllegalArgumentException(topic + "an extra config has an empty name, expected a Kafka topic config name");
        }
        if (value == null) {
            throw new IllegalArgumentException(topic + "extra config '" + configName + "' has no value, expected a string");
        }
    }
}
