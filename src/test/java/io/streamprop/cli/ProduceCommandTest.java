package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.testkit.TopicReader;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.Topics;
import io.streamprop.topology.StreampropConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamprop produce} against a real broker, with topics of its own. */
@ExtendWith(KafkaCluster.class)
class ProduceCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "produce-" + UUID.randomUUID().toString().substring(0, 8) + ".";

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void createTopics() {
        try (TopicCreator creator = TopicCreator.connect(KafkaCluster.bootstrapServers(), Map.of(), TIMEOUT)) {
            creator.createMissing(Topics.withPrefix(PREFIX, List.of(Topics.EXAMPLES, Topics.QUERIES)));
        }
    }

    @Test
    void shouldSendAGeneratedStreamKeyedByModelWithASummary() throws IOException {
        int code = run("produce", "--model", "spiral", "--generator", "drifting-spirals", "--count", "300",
                "--rate", "50000/s", "--config", config().toString());

        assertEquals(0, code, err());
        List<ConsumerRecord<String, String>> all = read(Topics.EXAMPLES.name());
        List<ConsumerRecord<String, String>> records = all.stream().filter(r -> r.key().equals("spiral"))
                .collect(Collectors.toList());
        assertEquals(300, records.size(), "every record keyed by the model id");
        assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(), "one key, one partition");
        JsonNode first = parse(records.get(0).value());
        assertEquals("0", first.get("id").asText());
        assertEquals(2, first.get("features").size());
        assertTrue(first.get("label").isInt(), first.toString());
        assertTrue(out().startsWith("Sent:     300 records to " + PREFIX + "streamprop.examples (key 'spiral')\n"
                + "Skipped:  0\nBytes:    "), out());
        assertTrue(out().contains("Elapsed:  ") && out().contains("Rate:     "), out());
        assertTrue(err().contains("Sending 3 drifting spirals"), err());
    }

    @Test
    void shouldSkipAndCountBadCsvRows() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "a,b,y\n1,2,0\n1,x,1\n3,4\n5,6,1\n");

        int code = run("produce", "--model", "m-csv", "--csv", csv.toString(), "--label", "y",
                "--bootstrap-servers", KafkaCluster.bootstrapServers(), "--config", config().toString());

        assertEquals(0, code, err());
        assertTrue(out().contains("Sent:     2 records") && out().contains(
                "Skipped:  2 (not_numeric: 1, wrong_column_count: 1)"), out());
        assertTrue(err().contains("skipped bad.csv line 3: column 'b' is 'x', expected a number (not_numeric)"), err());
        List<String> ids = read(Topics.EXAMPLES.name()).stream().filter(r -> r.key().equals("m-csv"))
                .map(r -> parse(r.value()).get("id").asText()).collect(Collectors.toList());
        assertEquals(List.of("2", "5"), ids, "the ids are the line numbers of the good rows");
    }

    @Test
    void shouldShuffleAsAPermutationAndSendQueriesWithoutLabels() throws IOException {
        Path jsonl = dir.resolve("q.jsonl");
        Files.write(jsonl, IntStream.range(0, 50).mapToObj(i -> "{\"id\": \"" + i + "\", \"features\": [" + i
                + "], \"label\": 1}").collect(Collectors.toList()));

        int code = run("produce", "--model", "m-q", "--jsonl", jsonl.toString(), "--topic", "queries", "--shuffle",
                "--seed", "5", "--limit", "40", "--config", config().toString());

        assertEquals(0, code, err());
        List<JsonNode> sent = read(Topics.QUERIES.name()).stream().filter(r -> r.key().equals("m-q"))
                .map(r -> parse(r.value())).collect(Collectors.toList());
        assertEquals(40, sent.size());
        assertTrue(sent.stream().noneMatch(q -> q.has("label")), "queries carry no label");
        List<Integer> ids = sent.stream().map(q -> q.get("id").asInt()).collect(Collectors.toList());
        assertEquals(40, ids.stream().distinct().count(), "no example twice");
        assertTrue(ids.stream().allMatch(i -> i >= 0 && i < 50));
        assertTrue(sent.stream().allMatch(q -> q.get("features").get(0).asInt() == q.get("id").asInt()));
        assertNotEquals(IntStream.range(0, 40).boxed().collect(Collectors.toList()), ids, "shuffled");

        out.reset();
        Path all = dir.resolve("all.jsonl");
        Files.write(all, IntStream.range(0, 50).mapToObj(i -> "{\"id\": \"" + i + "\", \"features\": [" + i
                + "], \"label\": 1}").collect(Collectors.toList()));
        assertEquals(0, run("produce", "--model", "m-all", "--jsonl", all.toString(), "--shuffle", "--seed", "5",
                "--config", config().toString()));
        List<Integer> permutation = read(Topics.EXAMPLES.name()).stream().filter(r -> r.key().equals("m-all"))
                .map(r -> parse(r.value()).get("id").asInt()).sorted().collect(Collectors.toList());
        assertEquals(IntStream.range(0, 50).boxed().collect(Collectors.toList()), permutation);
    }

    @Test
    void shouldFailClearlyWhenTheTopicDoesNotExist() throws IOException {
        Path config = Files.writeString(dir.resolve("missing.properties"), "bootstrap.servers="
                + KafkaCluster.bootstrapServers() + "\nstreamprop.topic.examples=" + PREFIX + "nowhere\nmax.block.ms=1000\n");

        int code = run("produce", "--model", "m", "--generator", "spirals", "--config", config.toString());

        assertEquals(1, code);
        assertTrue(err().contains("topic " + PREFIX + "nowhere was not found within 1000 ms"), err());
    }

    @Test
    void shouldRefuseWrongArguments() {
        assertEquals(2, run("produce", "--generator", "spirals", "--bootstrap-servers", "x:1"));
        assertTrue(err().contains("--model ID is required"), err());
        assertEquals(2, run("produce", "--model", "m", "--generator", "spirals", "--jsonl", "f",
                "--bootstrap-servers", "x:1"));
        assertTrue(err().contains("give exactly one source of --csv, --jsonl, --idx and --generator, got --jsonl,"
                + " --generator"), err());
        assertEquals(2, run("produce", "--model", "m", "--idx", "images", "--bootstrap-servers", "x:1"));
        assertTrue(err().contains("--idx needs two files: IMAGES LABELS"), err());
        assertEquals(2, run("produce", "--model", "m", "--generator", "spirals"));
        assertTrue(err().contains("give --bootstrap-servers HOST:PORT"), err());
        assertEquals(2, run("produce", "--model", "m", "--generator", "spirals", "--rate", "fast",
                "--bootstrap-servers", "x:1"));
        assertTrue(err().contains("--rate expects records per second such as 500 or 500/s, got 'fast'"), err());
        assertEquals(2, run("produce", "--model", "m", "--generator", "circles", "--bootstrap-servers", "x:1"));
        assertTrue(err().contains("unknown generator 'circles'"), err());
        assertFalse(out().contains("Sent:"));
    }

    private Path config() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=" + KafkaCluster.bootstrapServers() + "\n"
                + StreampropConfig.EXAMPLES_TOPIC + "=" + PREFIX + Topics.EXAMPLES.name() + "\n"
                + StreampropConfig.QUERIES_TOPIC + "=" + PREFIX + Topics.QUERIES.name() + "\n");
        return file;
    }

    private int run(String... args) {
        return new Streamprop().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, String>> read(String topic) {
        return TopicReader.readRecords(KafkaCluster.bootstrapServers(), PREFIX + topic, IsolationLevel.READ_COMMITTED,
                TIMEOUT);
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
