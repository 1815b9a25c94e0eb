package io.streamprop.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicsTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void shouldDefineTheTopicsOfIssues3And5() {
        assertEquals(List.of("streamprop.models", "streamprop.examples", "streamprop.labels", "streamprop.queries",
                "streamprop.predictions", "streamprop.snapshots", "streamprop.dead-letters", "streamprop.metrics"),
                Topics.names(Topics.all()));
        assertTopic(Topics.MODELS, CleanupPolicy.COMPACT, TopicDefinition.RETAIN_FOREVER, 128 * MIB);
        assertTopic(Topics.EXAMPLES, CleanupPolicy.DELETE, Duration.ofDays(7).toMillis(), MIB);
        assertTopic(Topics.QUERIES, CleanupPolicy.DELETE, Duration.ofDays(1).toMillis(), MIB);
        assertTopic(Topics.LABELS, CleanupPolicy.DELETE, Duration.ofDays(7).toMillis(), MIB);
        assertTopic(Topics.PREDICTIONS, CleanupPolicy.DELETE, Duration.ofDays(7).toMillis(), MIB);
        assertTopic(Topics.SNAPSHOTS, CleanupPolicy.COMPACT, TopicDefinition.RETAIN_FOREVER, 128 * MIB);
        assertTopic(Topics.DEAD_LETTERS, CleanupPolicy.DELETE, Duration.ofDays(30).toMillis(), 8 * MIB);
        assertTopic(Topics.METRICS, CleanupPolicy.DELETE, Duration.ofDays(30).toMillis(), MIB);
        assertEquals(Map.of("compression.type", "zstd"), Topics.SNAPSHOTS.extraConfigs());
        assertEquals(Map.of("compression.type", "zstd"), Topics.MODELS.extraConfigs(), "snapshots to import");
    }

    @Test
    void shouldGiveTheCoPartitionedInputsOnePartitionCount() {
        Set<Integer> counts = Topics.coPartitionedInputs().stream().map(TopicDefinition::partitions)
                .collect(Collectors.toSet());

        assertEquals(List.of("streamprop.models", "streamprop.examples", "streamprop.labels", "streamprop.queries"),
                Topics.coPartitionedInputNames());
        assertEquals(Set.of(Topics.DEFAULT_PARTITIONS), counts);
    }

    @Test
    void shouldPrefixNamesAndKeepEverythingElse() {
        List<TopicDefinition> prefixed = Topics.withPrefix("test-1.", Topics.all());

        assertEquals("test-1.streamprop.snapshots", prefixed.get(5).name());
        assertEquals(Topics.SNAPSHOTS, prefixed.get(5).withName("streamprop.snapshots"));
    }

    @Test
    void shouldGiveKafkaTheTopicConfigsAndLeaveReplicationToTheBroker() {
        NewTopic request = Topics.SNAPSHOTS.newTopic();

        assertEquals(Optional.of(Topics.DEFAULT_PARTITIONS), Optional.of(request.numPartitions()));
        assertEquals(-1, request.replicationFactor(), "-1 in a CreateTopics request means the broker default");
        assertEquals(Map.of("cleanup.policy", "compact", "retention.ms", "-1", "max.message.bytes",
                String.valueOf(128 * MIB), "compression.type", "zstd"), request.configs());
        assertEquals(List.of("cleanup.policy", "retention.ms", "max.message.bytes", "compression.type"),
                List.copyOf(Topics.SNAPSHOTS.topicConfigs().keySet()));
    }

    @Test
    void shouldRefuseImpossibleDefinitionsNamingTheValue() {
        IllegalArgumentException noPartitions = assertThrows(IllegalArgumentException.class,
                () -> Topics.EXAMPLES.withPartitions(0));
        IllegalArgumentException badRetention = assertThrows(IllegalArgumentException.class,
                () -> new TopicDefinition("t", 1, (short) 1, CleanupPolicy.DELETE, -5, 100));
        IllegalArgumentException badReplication = assertThrows(IllegalArgumentException.class,
                () -> new TopicDefinition("t", 1, (short) 0, CleanupPolicy.DELETE, 1, 100));

        assertEquals("topic streamprop.examples: partitions is 0, expected at least 1", noPartitions.getMessage());
        assertTrue(badRetention.getMessage().contains("retention.ms is -5, expected at least 0"),
                badRetention.getMessage());
        assertTrue(badReplication.getMessage().contains("replication factor is 0, expected at least 1"),
                badReplication.getMessage());
    }

    private static void assertTopic(TopicDefinition topic, CleanupPolicy policy, long retentionMs, int maxBytes) {
        assertEquals(Topics.DEFAULT_PARTITIONS, topic.partitions(), topic.name());
        assertTrue(topic.usesBrokerDefaultReplication(), topic.name());
        assertEquals(policy, topic.cleanupPolicy(), topic.name());
        assertEquals(retentionMs, topic.retentionMs(), topic.name());
        assertEquals(maxBytes, topic.maxMessageBytes(), topic.name());
    }
}
