package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.testkit.KafkaCluster;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code tail} on output topics filled directly with records of the learner's formats. */
@ExtendWith(KafkaCluster.class)
class TailCommandTest {
    @TempDir
    Path dir;
    private CliFixture kafka;

    @BeforeEach
    void createTopics() {
        kafka = new CliFixture(dir);
    }

    @AfterEach
    void deleteTopics() {
        kafka.close();
    }

    @Test
    void shouldPrintOneReadableLinePerPrediction() {
        String topic = kafka.config.predictionsTopic();
        kafka.send(topic, "xor", "{\"model\":\"xor\",\"id\":\"e-17\",\"version\":12,\"output\":[0.0712345],\"class\":0,"
                + "\"label\":0.0,\"loss\":0.07382917,\"topic\":\"streamprop.examples\",\"partition\":0,\"offset\":42}");
        kafka.send(topic, "xor", "{\"model\":\"xor\",\"version\":12,\"output\":[0.07,0.93],\"class\":1,"
                + "\"className\":\"cat\",\"topic\":\"streamprop.queries\",\"partition\":0,\"offset\":7}");
        kafka.send(topic, "reg", "{\"model\":\"reg\",\"id\":\"r1\",\"version\":3,\"output\":[1.5e-9,-20000.25],"
                + "\"label\":[0,-2.0E4],\"loss\":123456789.0,\"topic\":\"streamprop.examples\",\"partition\":2,"
                + "\"offset\":5}");

        CliFixture.Result all = kafka.cli("tail", "predictions", "--from-beginning", "--max", "3");
        CliFixture.Result onlyXor = kafka.cli("tail", "predictions", "--model", "xor", "--from-beginning", "--max", "2");

        assertEquals(0, all.code(), all.toString());
        assertEquals(3, all.out().lines().count(), all.out());
        assertTrue(all.out().contains("model=xor id=e-17 version=12 class=0 label=0 loss=0.07383"
                + " origin=streamprop.examples-0@42\n"), all.out());
        assertTrue(all.out().contains("model=xor version=12 class=1 className=cat origin=streamprop.queries-0@7\n"), all.out());
        assertTrue(all.out().contains("model=reg id=r1 version=3 output=[1.5E-9,-20000] label=[0,-20000]"
                + " loss=1.235E+8 origin=streamprop.examples-2@5\n"), all.out());
        assertEquals(0, onlyXor.code(), onlyXor.toString());
        assertEquals(2, onlyXor.out().lines().count(), onlyXor.out());
        assertTrue(onlyXor.out().lines().allMatch(line -> line.startsWith("model=xor ")), onlyXor.out());
    }

    @Test
    void shouldPrintSnapshotsAndDeadLetters() {
        String snapshot = Snapshots.of("xor", Snapshots.trained(7));
        kafka.send(kafka.config.snapshotsTopic(), "xor", snapshot);
        kafka.send(kafka.config.snapshotsTopic(), "xor", null);
        kafka.send(kafka.config.deadLettersTopic(), "xor", "{\"reason\":\"wrong_feature_count\","
                + "\"message\":\"features has 2 values, model 'xor' expects 3\",\"topic\":\"streamprop.examples\","
                + "\"partition\":1,\"offset\":40,\"timestamp\":5,\"key\":\"xor\",\"payload\":\"{}\"}");

        CliFixture.Result snapshots = kafka.cli("tail", "snapshots", "--from-beginning", "--max", "2");
        CliFixture.Result deadLetters = kafka.cli("tail", "dead-letters", "--from-beginning", "--max", "1");

        assertEquals(0, snapshots.code(), snapshots.toString());
        assertEquals("model=xor version=7 examplesSeen=14 layers=3-2-1 size=" + snapshot.length() + "B time="
                + Snapshots.TIME + "\nmodel=xor deleted\n", snapshots.out());
        assertEquals(0, deadLetters.code(), deadLetters.toString());
        assertEquals("reason=wrong_feature_count origin=streamprop.examples-1@40 key=xor message=features has 2 values,"
                + " model 'xor' expects 3\n", deadLetters.out());
    }

    @Test
    void shouldStartAtTheEndUnlessToldOtherwise() throws Exception {
        String topic = kafka.config.predictionsTopic();
        kafka.send(topic, "m", prediction("old"));
        CompletableFuture<CliFixture.Result> tail = CompletableFuture.supplyAsync(
                () -> kafka.cli("tail", "predictions", "--max", "1", "--timeout-seconds", "60"));

        // new records until the tail, once it has found the end, prints one of them
        for (int i = 0; !tail.isDone() && i < 300; i++) {
            kafka.send(topic, "m", prediction("new-" + i));
            Thread.sleep(200);
        }

        CliFixture.Result result = tail.get(60, TimeUnit.SECONDS);
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().startsWith("model=m id=new-"), result.out());
        assertEquals(1, result.out().lines().count(), result.out());
    }

    @Test
    void shouldStopAfterTheTimeoutWhenNothingComes() {
        CliFixture.Result result = kafka.cli("tail", "dead-letters", "--timeout-seconds", "1");

        assertEquals(0, result.code(), result.toString());
        assertEquals("", result.out());
    }

    @Test
    void shouldRefuseAnUnknownTopicKind() {
        CliFixture.Result unknown = kafka.cli("tail", "examples");
        CliFixture.Result none = kafka.cli("tail");

        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("streamprop tail: cannot tail 'examples', expected predictions, snapshots"
                + " or dead-letters\nUsage: streamprop tail"), unknown.err());
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("streamprop tail: expected predictions|snapshots|dead-letters; missing"),
                none.err());
    }

    private static String prediction(String id) {
        return "{\"model\":\"m\",\"id\":\"" + id + "\",\"version\":0,\"output\":[0.5],\"class\":1,"
                + "\"topic\":\"streamprop.queries\",\"partition\":0,\"offset\":1}";
    }
}
