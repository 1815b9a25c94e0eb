package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamprop.app.LearnerApp;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.StreampropConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapshot export} and {@code snapshot import} with a learner running: a model taken out
 * and warm-started under another id predicts exactly as the original.
 */
@ExtendWith(KafkaCluster.class)
class SnapshotCommandsTest {
    private static final String SPEC = "{\"layers\": [3, 4, 1], \"hiddenActivation\": \"tanh\","
            + " \"outputActivation\": \"sigmoid\", \"loss\": \"binary_cross_entropy\", \"batchSize\": 4,"
            + " \"standardize\": true, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.05}, \"snapshotEvery\": 10,"
            + " \"onDrift\": \"reset_optimizer\", \"drift\": {\"lambda\": 50, \"boostSteps\": 20}}";
    private static final double[][] ROWS = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {1, 1, 1}};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldExportAModelAndWarmStartAnotherThatPredictsTheSame() throws Exception {
        try (CliFixture kafka = new CliFixture(dir); LearnerApp learner = startLearner(kafka)) {
            assertEquals(0, kafka.cli("models", "put", "a", "--json", SPEC).code());
            for (int i = 0; i < 40; i++) {
                kafka.send(kafka.config.examplesTopic(), "a", "{\"id\": \"e" + i + "\", \"features\": "
                        + java.util.Arrays.toString(ROWS[i % 4]) + ", \"label\": " + (i % 4 == 1 || i % 4 == 2 ? 1 : 0)
                        + "}");
            }
            CliFixture.Result snapshotsOfA = awaitLines(kafka, 2, "tail", "snapshots", "--model", "a");
            assertTrue(snapshotsOfA.out().lines().skip(1).findFirst().orElseThrow()
                    .startsWith("model=a version=10 examplesSeen=40 layers=3-4-1 "), snapshotsOfA.out());

            Path file = dir.resolve("a.json");
            CliFixture.Result exported = kafka.cli("snapshot", "export", "a", file.toString());

            assertEquals(0, exported.code(), exported.toString());
            assertTrue(exported.out().startsWith("Wrote the snapshot of model 'a' at version 10 (40 examples seen"),
                    exported.out());
            List<String> snapshots = kafka.values(kafka.config.snapshotsTopic());
            assertArrayEquals(snapshots.get(snapshots.size() - 1).getBytes(StandardCharsets.UTF_8),
                    Files.readAllBytes(file), "the snapshot byte for byte");

            CliFixture.Result imported = kafka.cli("snapshot", "import", file.toString(), "--as", "b");

            assertEquals(0, imported.code(), imported.toString());
            assertTrue(imported.out().startsWith("Sent the snapshot of model 'a' at version 10 (40 examples seen, 21"
                    + " parameters) to " + kafka.config.modelsTopic() + " as model 'b'"), imported.out());
            CliFixture.Result snapshotOfB = awaitLines(kafka, 1, "tail", "snapshots", "--model", "b");
            assertTrue(snapshotOfB.out().startsWith("model=b version=10 examplesSeen=40 layers=3-4-1 "),
                    snapshotOfB.out());
            JsonNode learnerOfB = null;
            for (String value : kafka.values(kafka.config.snapshotsTopic())) {
                JsonNode snapshot = JSON.readTree(value);
                if (snapshot.get("model").asText().equals("b")) {
                    learnerOfB = snapshot.get("learner");
                }
            }
            assertEquals(JSON.readTree(Files.readAllBytes(file)).get("learner"), learnerOfB,
                    "b's snapshot carries a's learner settings");
            assertEquals("reset_optimizer", learnerOfB.get("onDrift").asText());
            assertEquals(50.0, learnerOfB.get("drift").get("lambda").asDouble());

            for (String model : List.of("a", "b")) {
                kafka.send(kafka.config.queriesTopic(), model, "{\"id\": \"q\", \"features\": [0.25, 1, -0.5]}");
            }
            awaitLines(kafka, 1, "tail", "predictions", "--model", "b");
            awaitLines(kafka, 41, "tail", "predictions", "--model", "a");
            List<JsonNode> answers = new ArrayList<>();
            for (String value : kafka.values(kafka.config.predictionsTopic())) {
                JsonNode prediction = JSON.readTree(value);
                if (prediction.path("id").asText().equals("q")) {
                    answers.add(prediction);
                }
            }
            assertEquals(2, answers.size(), answers.toString());
            assertEquals(answers.get(0).get("output"), answers.get(1).get("output"), answers.toString());
            assertEquals(10, answers.get(1).get("version").asLong());

            CliFixture.Result list = kafka.cli("models", "list");
            assertTrue(list.out().contains("\na      3-4-1        10             40  "), list.out());
            assertTrue(list.out().contains("\nb      3-4-1        10             40  "), list.out());
            assertEquals(KafkaStreams.State.RUNNING, learner.streams().state());
        }
    }

    @Test
    void shouldRefuseWhatCannotBeExportedOrImported() throws Exception {
        try (CliFixture kafka = new CliFixture(dir)) {
            Path broken = dir.resolve("broken.json");
            Files.writeString(broken, Snapshots.of("a", Snapshots.trained(2)).replace("\"version\":2", "\"version\":5"));

            CliFixture.Result unknown = kafka.cli("snapshot", "export", "nobody", dir.resolve("x.json").toString());
            CliFixture.Result noDirectory = kafka.cli("snapshot", "export", "a", dir.resolve("no/x.json").toString());
            CliFixture.Result missing = kafka.cli("snapshot", "import", dir.resolve("missing.json").toString());
            CliFixture.Result invalid = kafka.cli("snapshot", "import", broken.toString());
            CliFixture.Result unknownSubcommand = kafka.cli("snapshot", "restore", broken.toString());

            assertEquals(1, unknown.code(), unknown.toString());
            assertEquals("streamprop snapshot export: no snapshot of model 'nobody' on "
                    + kafka.config.snapshotsTopic() + "; 'streamprop models list' lists the models\n", unknown.err());
            assertEquals(2, noDirectory.code(), noDirectory.toString());
            assertTrue(noDirectory.err().startsWith("streamprop snapshot export: cannot write " + dir.resolve("no/x.json")
                    + ": no directory " + dir.resolve("no")), noDirectory.err());
            assertEquals(2, missing.code(), missing.toString());
            assertEquals("streamprop snapshot import: cannot read the snapshot file " + dir.resolve("missing.json")
                    + ": no such file\n", missing.err());
            assertEquals(2, invalid.code(), invalid.toString());
            assertEquals("streamprop snapshot import: " + broken + ": invalid snapshot: version 5 and examplesSeen 4"
                    + " disagree with the state's updatesApplied 2 and examplesSeen 4; nothing was sent\n", invalid.err());
            assertEquals(2, unknownSubcommand.code());
            assertTrue(unknownSubcommand.err().startsWith("streamprop snapshot: unknown subcommand 'restore', expected"
                    + " one of: export, import\nUsage: streamprop snapshot SUBCOMMAND"), unknownSubcommand.err());
            assertEquals(List.of(), kafka.values(kafka.config.modelsTopic()), "nothing was sent");
            assertTrue(!Files.exists(dir.resolve("x.json")));
        }
    }

    /** Runs a tail from the beginning until it has printed {@code lines} lines. */
    private static CliFixture.Result awaitLines(CliFixture kafka, int lines, String... tail) {
        List<String> args = new ArrayList<>(List.of(tail));
        args.addAll(List.of("--from-beginning", "--max", String.valueOf(lines), "--timeout-seconds", "60"));
        CliFixture.Result result = kafka.cli(args.toArray(new String[0]));
        assertEquals(0, result.code(), result.toString());
        assertEquals(lines, result.out().lines().count(), "within 60 s: " + result.out());
        return result;
    }

    private static LearnerApp startLearner(CliFixture kafka) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(kafka.settings());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.prefix + "learner");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(kafka.configFile.resolveSibling("state"))
                .toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        LearnerApp learner = new LearnerApp(StreampropConfig.of(settings)).start();
        if (!learner.awaitRunning(Duration.ofSeconds(60))) {
            learner.close();
            throw new AssertionError("the learner did not reach RUNNING within 60 s");
        }
        return learner;
    }
}
