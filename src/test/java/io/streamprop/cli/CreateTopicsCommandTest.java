package io.streamprop.cli;

import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topics.TopicFiles;
import io.streamprop.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code streamprop topics create} on the shared cluster, with prefixed copies of the topic files
 * in a temporary directory, or with prefixed topic names in a {@code --config} file.
 */
@ExtendWith(KafkaCluster.class)
class CreateTopicsCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Admin admin;

    @TempDir
    Path topicsDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String prefix;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaCluster.bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close(TIMEOUT);
    }

    @BeforeEach
    void writePrefixedTopicFiles() {
        prefix = "create-topics-command-test-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicFiles.writeAll(topicsDir, Topics.withPrefix(prefix, Topics.all()));
    }

    @AfterEach
    void deleteTopics() throws Exception {
        Set<String> ours = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
        admin.deleteTopics(ours).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldCreateTheTopicsOfTheFilesThenFindThemPresent() {
        int first = run("--bootstrap-servers", KafkaCluster.bootstrapServers(), "--topics-dir", topicsDir.toString());

        assertEquals(0, first, err());
        assertTrue(out().contains("created    " + prefix + "streamprop.snapshots\n"), out());
        assertTrue(out().contains("8 topics: 8 created, 0 already present, 0 differing"), out());

        out.reset();
        // Kafka's own spelling works too
        int second = run("--bootstrap-server", KafkaCluster.bootstrapServers(), "--topics-dir", topicsDir.toString());

        assertEquals(0, second, err());
        assertTrue(out().contains("present    " + prefix + "streamprop.snapshots\n"), out());
        assertTrue(out().contains("8 topics: 0 created, 8 already present, 0 differing"), out());
    }

    @Test
    void shouldExitWithThreeWhenAnExistingTopicDiffers() throws Exception {
        String predictions = prefix + Topics.PREDICTIONS.name();
        admin.createTopics(List.of(new NewTopic(predictions, Optional.of(2), Optional.empty())
                        .configs(Map.of("retention.ms", "604800000", "max.message.bytes", "1048576"))))
                .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        int code = run("--bootstrap-server", KafkaCluster.bootstrapServers(), "--topics-dir", topicsDir.toString());

        assertEquals(CreateTopicsCommand.EXIT_DIFFERENT, code, err());
        assertTrue(out().contains("DIFFERS    " + predictions + ": partitions: defined 6, found 2\n"), out());
    }

    @Test
    void shouldExitWithOneAndSayWhyWhenTheClusterDoesNotAnswer() {
        int code = run("--bootstrap-server", "127.0.0.1:1", "--timeout-seconds", "1", "--topics-dir",
                topicsDir.toString());

        assertEquals(1, code, out());
        assertTrue(err().startsWith("streamprop topics create: the Kafka cluster did not answer in time; check"
                + " --bootstrap-servers"), err());
    }

    @Test
    void shouldRefuseToRunWithoutABootstrapServer() {
        int code = run("--topics-dir", topicsDir.toString());

        assertEquals(2, code);
        assertTrue(err().startsWith("streamprop topics create: --bootstrap-servers HOST:PORT is required (or a --config"
                + " FILE that sets bootstrap.servers)\nUsage: streamprop topics create"), err());
    }

    @Test
    void shouldNameTheFileAndKeyOfAnInvalidTopicFile() throws Exception {
        Path models = TopicFiles.fileOf(topicsDir, prefix + Topics.MODELS.name());
        Files.writeString(models, Files.readString(models).replace("partitions=6", "partitions=many"));

        int code = run("--bootstrap-server", KafkaCluster.bootstrapServers(), "--topics-dir", topicsDir.toString());

        assertEquals(1, code);
        assertEquals("streamprop topics create: " + models + ": key 'partitions' is 'many', expected a whole number from 1 to "
                + Integer.MAX_VALUE + "\n", err());
    }

    @Test
    void shouldCreateTheTopicsThatAConfigFileNamesWithItsClientSettings() throws Exception {
        Path config = topicsDir.resolve("learner.properties");
        StringBuilder file = new StringBuilder("bootstrap.servers=" + KafkaCluster.bootstrapServers() + "\n"
                + "client.id=topics-create-test\napplication.id=ignored-by-the-admin-client\n");
        for (String key : List.of("models", "examples", "labels", "queries", "predictions", "snapshots",
                "dead-letters")) {
            file.append("streamprop.topic.").append(key).append('=').append(prefix).append(key).append('\n');
        }
        Files.writeString(config, file.toString());

        int code = run("--command-config", config.toString());

        assertEquals(0, code, err());
        assertTrue(out().contains("created    " + prefix + "snapshots\n"), out());
        assertTrue(out().contains("8 topics: 8 created"), out());
        assertEquals("zstd", admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                        prefix + "models"))).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).values().iterator().next()
                .get("compression.type").value());
    }

    private int run(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("topics", "create"));
        all.addAll(List.of(args));
        return new Streamprop().run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
