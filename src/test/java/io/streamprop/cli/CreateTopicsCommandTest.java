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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command on the shared cluster, with prefixed copies of the topic files in a temporary directory. */
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
        int first = run("--bootstrap-server", KafkaCluster.bootstrapServers(), "--topics-dir", topicsDir.toString());

        assertEquals(0, first, err());
        assertTrue(out().contains("created    " + prefix + "streamprop.snapshots\n"), out());
        assertTrue(out().contains("7 topics: 7 created, 0 already present, 0 differing"), out());

        out.reset();
        int second = run("--bootstrap-server", KafkaCluster.bootstrapServers(), "--topics-dir", topicsDir.toString());

        assertEquals(0, second, err());
        assertTrue(out().contains("present    " + prefix + "streamprop.snapshots\n"), out());
        assertTrue(out().contains("7 topics: 0 created, 7 already present, 0 differing"), out());
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
        assertTrue(err().startsWith("create-topics: the Kafka cluster did not answer in time; check --bootstrap-server"),
                err());
    }

    @Test
    void shouldRefuseToRunWithoutABootstrapServer() {
        int code = run("--topics-dir", topicsDir.toString());

        assertEquals(2, code);
        assertTrue(err().startsWith("create-topics: --bootstrap-server is required\nUsage: create-topics"), err());
    }

    @Test
    void shouldNameTheFileAndKeyOfAnInvalidTopicFile() throws Exception {
        Path models = TopicFiles.fileOf(topicsDir, prefix + Topics.MODELS.name());
        Files.writeString(models, Files.readString(models).replace("partitions=6", "partitions=many"));

        int code = run("--bootstrap-server", KafkaCluster.bootstrapServers(), "--topics-dir", topicsDir.toString());

        assertEquals(1, code);
        assertEquals("create-topics: " + models + ": key 'partitions' is 'many', expected a whole number from 1 to "
                + Integer.MAX_VALUE + "\n", err());
    }

    private int run(String... args) {
        return new CreateTopicsCommand().execute(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
