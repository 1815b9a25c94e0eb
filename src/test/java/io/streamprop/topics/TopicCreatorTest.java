package io.streamprop.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.streamprop.testkit.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the creator on the shared cluster with uniquely prefixed copies of Streamprop's topics, so
 * that the real topic names stay free for other tests; each test deletes its topics afterwards.
 */
@ExtendWith(KafkaCluster.class)
class TopicCreatorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Admin admin;

    private String prefix;
    private List<TopicDefinition> definitions;
    private List<String> coPartitionedNames;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaCluster.bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close(TIMEOUT);
    }

    @BeforeEach
    void prefixTopics() {
        prefix = "topic-creator-test-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        definitions = Topics.withPrefix(prefix, Topics.all());
        coPartitionedNames = Topics.names(Topics.withPrefix(prefix, Topics.coPartitionedInputs()));
    }

    @AfterEach
    void deleteTopics() throws Exception {
        Set<String> ours = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
        admin.deleteTopics(ours).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldCreateEveryTopicWithItsDefinedPartitionsAndConfigs() throws Exception {
        TopicReport report = createMissing();

        assertEquals(Topics.names(definitions), report.created());
        assertEquals(List.of(), report.alreadyPresent());
        assertTrue(report.allAsDefined(), report.toString());
        Map<String, TopicDescription> described = describe(Topics.names(definitions));
        Map<String, Config> configs = describeConfigs(Topics.names(definitions));
        for (TopicDefinition definition : definitions) {
            String name = definition.name();
            assertEquals(Topics.DEFAULT_PARTITIONS, described.get(name).partitions().size(), name);
            Config config = configs.get(name);
            assertEquals(definition.cleanupPolicy().configValue(), config.get("cleanup.policy").value(), name);
            assertEquals(Long.toString(definition.retentionMs()), config.get("retention.ms").value(), name);
            assertEquals(Integer.toString(definition.maxMessageBytes()), config.get("max.message.bytes").value(), name);
        }
        Config snapshots = configs.get(prefix + Topics.SNAPSHOTS.name());
        assertEquals("compact", snapshots.get("cleanup.policy").value());
        assertEquals("134217728", snapshots.get("max.message.bytes").value());
        assertEquals("zstd", snapshots.get("compression.type").value());
        assertEquals("604800000", configs.get(prefix + Topics.EXAMPLES.name()).get("retention.ms").value());
    }

    @Test
    void shouldCreateNothingAndFailNothingWhenRunAgain() throws Exception {
        createMissing();
        Map<String, Uuid> idsBefore = topicIds(Topics.names(definitions));

        TopicReport again = createMissing();

        assertEquals(List.of(), again.created());
        assertEquals(Topics.names(definitions), again.alreadyPresent());
        assertEquals(List.of(), again.mismatches());
        assertTrue(again.allAsDefined(), again.toString());
        assertEquals(idsBefore, topicIds(Topics.names(definitions)), "a topic was deleted and created again");
    }

    @Test
    void shouldReportAnExistingTopicThatDiffersAndLeaveItAsItIs() throws Exception {
        String examples = prefix + Topics.EXAMPLES.name();
        NewTopic odd = new NewTopic(examples, Optional.of(3), Optional.empty())
                .configs(Map.of("cleanup.policy", "compact", "retention.ms", "604800000",
                        "max.message.bytes", "1048576"));
        admin.createTopics(List.of(odd)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        TopicReport report = createMissing();

        assertEquals(List.of(examples), report.alreadyPresent());
        assertEquals(definitions.size() - 1, report.created().size());
        assertFalse(report.created().contains(examples));
        assertEquals(List.of(new TopicReport.TopicMismatch(examples, List.of(
                "partitions: defined 6, found 3",
                "cleanup.policy: defined delete, found compact"))), report.mismatches());
        assertEquals(3, describe(List.of(examples)).get(examples).partitions().size(), "the creator changed the topic");
        assertFalse(report.allAsDefined());
    }

    @Test
    void shouldSayWhenTheInputTopicsAreNotCoPartitioned() throws Exception {
        String queries = prefix + Topics.QUERIES.name();
        admin.createTopics(List.of(new NewTopic(queries, Optional.of(2), Optional.empty())))
                .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        TopicReport report = createMissing();

        String expected = "The input topics are not co-partitioned: " + prefix + "streamprop.models has 6 partitions, "
                + prefix + "streamprop.examples has 6 partitions, " + prefix + "streamprop.labels has 6 partitions, "
                + queries + " has 2 partitions;"
                + " Kafka Streams needs the same partition count for all of them";
        assertEquals(Optional.of(expected), report.coPartitioningProblem());
    }

    @Test
    void shouldRefuseCoPartitionedDefinitionsWithDifferentPartitionCounts() {
        List<TopicDefinition> uneven = List.of(definitions.get(0), definitions.get(1).withPartitions(12));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new TopicCreator(admin, TIMEOUT).createMissing(uneven, coPartitionedNames));

        assertTrue(refused.getMessage().contains(prefix + "streamprop.examples has 12 partitions"),
                refused.getMessage());
        assertEquals(Set.of(), existingWithPrefix(), "nothing may be created from refused definitions");
    }

    @Test
    void shouldGiveUpWithinTheTimeoutWhenTheClusterIsUnreachable() {
        long start = System.nanoTime();
        try (TopicCreator creator = TopicCreator.connect("127.0.0.1:1", Map.of(), Duration.ofSeconds(1))) {
            TopicCreationException failure = assertThrows(TopicCreationException.class,
                    () -> creator.createMissing(definitions, coPartitionedNames));

            assertTrue(failure.timedOut(), failure.toString());
            assertTrue(failure.getMessage().startsWith("Could not list the topics: no answer from the cluster within 1 s"),
                    failure.getMessage());
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms with a timeout of 1 s");
    }

    private TopicReport createMissing() {
        return new TopicCreator(admin, TIMEOUT).createMissing(definitions, coPartitionedNames);
    }

    private Set<String> existingWithPrefix() {
        try {
            return admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("could not list topics", e);
        }
    }

    private static Map<String, TopicDescription> describe(Collection<String> names) throws Exception {
        return admin.describeTopics(names).allTopicNames().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Map<String, Uuid> topicIds(Collection<String> names) throws Exception {
        return describe(names).values().stream()
                .collect(Collectors.toMap(TopicDescription::name, TopicDescription::topicId));
    }

    private static Map<String, Config> describeConfigs(Collection<String> names) throws Exception {
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).collect(Collectors.toList());
        return admin.describeConfigs(resources).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(entry -> entry.getKey().name(), Map.Entry::getValue));
    }
}
