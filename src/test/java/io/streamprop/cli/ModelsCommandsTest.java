package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.testkit.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code models put|list|show} on the test cluster, with specs and snapshots put on the topics directly. */
@ExtendWith(KafkaCluster.class)
class ModelsCommandsTest {
    static final String SPEC = "{\"layers\": [3, 2, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"snapshotEvery\": 10}";

    @TempDir
    Path dir;
    private CliFixture kafka;

    @BeforeEach
    void createTopics() {
        kafka = new CliFixture(dir);
    }

    @AfterEach
    void deleteTopics() throws Exception {
        kafka.close();
    }

    @Test
    void shouldPutAValidSpecKeyedByTheModelIdFromJsonOrAFile() throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, "{\n  \"layers\": [4, 8, 3],\n  \"outputActivation\": \"softmax\",\n"
                + "  \"loss\": \"categorical_cross_entropy\"\n}\n");

        CliFixture.Result inline = kafka.cli("models", "put", "xor", "--json", SPEC);
        CliFixture.Result fromFile = kafka.cli("models", "put", "iris", "--spec", file.toString());

        assertEquals(0, inline.code(), inline.toString());
        assertTrue(inline.out().startsWith("Sent the spec of model 'xor' (layers 3-2-1) to " + kafka.prefix
                + "streamprop.models, partition "), inline.out());
        assertEquals(0, fromFile.code(), fromFile.toString());
        assertTrue(fromFile.out().contains("model 'iris' (layers 4-8-3)"), fromFile.out());
        List<String> models = kafka.values(kafka.config.modelsTopic());
        assertEquals(2, models.size());
        assertTrue(models.contains(SPEC), "the spec as given: " + models);
        assertTrue(models.contains(Files.readString(file)), models.toString());
    }

    @Test
    void shouldRefuseAnInvalidSpecNamingTheFieldAndSendNothing() {
        CliFixture.Result badField = kafka.cli("models", "put", "m", "--json",
                "{\"layers\": [3, 1], \"optimizer\": {\"type\": \"adam\", \"learningRate\": -0.1}}");
        CliFixture.Result notJson = kafka.cli("models", "put", "m", "--json", "{layers: [3, 1]}");
        CliFixture.Result snapshot = kafka.cli("models", "put", "m", "--json",
                Snapshots.of("m", Snapshots.trained(1)));

        assertEquals(2, badField.code(), badField.toString());
        assertEquals("streamprop models put: invalid spec: optimizer.learningRate: expected a finite number > 0,"
                + " got -0.1; nothing was sent\n", badField.err());
        assertEquals(2, notJson.code(), notJson.toString());
        assertTrue(notJson.err().startsWith("streamprop models put: invalid spec: (document): not valid JSON"),
                notJson.err());
        assertEquals(2, snapshot.code(), snapshot.toString());
        assertTrue(snapshot.err().contains("this is a snapshot, not a spec; 'streamprop snapshot import'"),
                snapshot.err());
        assertEquals(List.of(), kafka.values(kafka.config.modelsTopic()));
    }

    @Test
    void shouldExplainWrongArgumentsOfPut() {
        CliFixture.Result noId = kafka.cli("models", "put", "--json", SPEC);
        CliFixture.Result both = kafka.cli("models", "put", "m", "--json", SPEC, "--spec", "x.json");
        CliFixture.Result missingFile = kafka.cli("models", "put", "m", "--spec", dir.resolve("nope.json").toString());
        CliFixture.Result noCluster = CliFixture.run("models", "put", "m", "--json", SPEC);

        assertEquals(2, noId.code());
        assertTrue(noId.err().startsWith("streamprop models put: expected ID; missing ID\nUsage: streamprop models put"),
                noId.err());
        assertEquals(2, both.code());
        assertTrue(both.err().startsWith("streamprop models put: give the spec with either --spec FILE or --json JSON"),
                both.err());
        assertEquals(2, missingFile.code());
        assertEquals("streamprop models put: cannot read the spec file " + dir.resolve("nope.json")
                + ": no such file\n", missingFile.err());
        assertEquals(2, noCluster.code());
        assertTrue(noCluster.err().startsWith("streamprop models put: --bootstrap-servers HOST:PORT is required"),
                noCluster.err());
    }

    @Test
    void shouldSayWhenTheClusterDoesNotAnswer() {
        CliFixture.Result result = CliFixture.run("models", "put", "m", "--json", SPEC, "--bootstrap-servers",
                "127.0.0.1:1", "--timeout-seconds", "1");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().startsWith("streamprop models put: the Kafka cluster at 127.0.0.1:1 did not answer"
                + " within 1 s while trying to send to streamprop.models; check --bootstrap-servers"), result.err());
    }

    @Test
    void shouldListEachModelWithTheVersionOfItsLatestSnapshot() {
        String snapshots = kafka.config.snapshotsTopic();
        kafka.send(kafka.config.modelsTopic(), "xor", SPEC);
        kafka.send(kafka.config.modelsTopic(), "fresh", "{\"layers\": [784, 256, 10]}");
        kafka.send(kafka.config.modelsTopic(), "gone", SPEC);
        kafka.send(kafka.config.modelsTopic(), "gone", null);
        kafka.send(kafka.config.modelsTopic(), "broken", "{\"layers\": []}");
        kafka.send(snapshots, "xor", Snapshots.of("xor", Snapshots.trained(3)));
        kafka.send(snapshots, "xor", Snapshots.of("xor", Snapshots.trained(12)));

        CliFixture.Result result = kafka.cli("models", "list");

        assertEquals(0, result.code(), result.toString());
        assertEquals(""
                + "MODEL   LAYERS          VERSION  EXAMPLES SEEN  SNAPSHOT TIME\n"
                + "broken  (invalid spec)        -              -  no snapshot yet\n"
                + "fresh   784-256-10            -              -  no snapshot yet\n"
                + "xor     3-2-1                12             24  " + Snapshots.TIME + "\n"
                + "3 models; version and examples seen as of each model's latest snapshot\n", result.out());
    }

    @Test
    void shouldSaySoWhenThereAreNoModels() {
        CliFixture.Result result = kafka.cli("models", "list");

        assertEquals(0, result.code(), result.toString());
        assertEquals("No models on " + kafka.config.modelsTopic() + ".\n", result.out());
    }

    @Test
    void shouldShowTheSpecAndTheProvenanceOfTheLatestSnapshot() {
        kafka.send(kafka.config.modelsTopic(), "xor", SPEC);
        kafka.send(kafka.config.snapshotsTopic(), "xor", Snapshots.of("xor", Snapshots.trained(4)));

        CliFixture.Result plain = kafka.cli("models", "show", "xor");
        CliFixture.Result withWeights = kafka.cli("models", "show", "xor", "--weights");

        assertEquals(0, plain.code(), plain.toString());
        String out = plain.out();
        assertTrue(out.startsWith("Model 'xor'\nSpec (" + kafka.config.modelsTopic() + ", partition "), out);
        assertTrue(out.contains("\"layers\" : [ 3, 2, 1 ],\n  \"outputActivation\" : \"sigmoid\""), out);
        assertTrue(out.contains("  layers            3-2-1\n  parameters        11\n  version           4 updates applied\n"
                + "  examples seen     8\n  steps rejected    0\n  taken             " + Snapshots.TIME + "\n"
                + "  software version  test\n  snapshot every    10 updates\n"
                + "  input offsets     streamprop.examples-1@41\n"), out);
        assertTrue(!out.contains("\"weights\""), "no weights unless asked");
        assertEquals(0, withWeights.code(), withWeights.toString());
        assertTrue(withWeights.out().startsWith(out), withWeights.out());
        assertTrue(withWeights.out().contains("\"weights\" : [ [ "), withWeights.out());
    }

    @Test
    void shouldFailWithExitCodeOneForAnUnknownModel() {
        kafka.send(kafka.config.modelsTopic(), "xor", SPEC);

        CliFixture.Result result = kafka.cli("models", "show", "nobody");

        assertEquals(1, result.code(), result.toString());
        assertEquals("streamprop models show: no model 'nobody' on " + kafka.config.modelsTopic() + " or "
                + kafka.config.snapshotsTopic() + "; 'streamprop models list' lists the models\n", result.err());
    }
}
