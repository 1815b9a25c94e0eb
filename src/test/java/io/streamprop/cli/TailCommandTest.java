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

    /** Metrics records as the learner writes them: a classifier's, one of a drift alarm, a regression model's. */
    @Test
    void shouldPrintOneReadableLinePerMetricsRecord() {
        String topic = kafka.config.metricsTopic();
        kafka.send(topic, "sea", "{\"model\":\"sea\",\"version\":12499,\"examples\":100000,\"unscored\":0,"
                + "\"trigger\":\"cadence\",\"time\":\"1970-01-01T00:18:20Z\",\"task\":\"classification\",\"classes\":2,"
                + "\"window\":5000,\"fadingFactor\":0.999,\"scores\":{"
                + "\"model\":" + windows("\"accuracy\":0.89042,\"kappa\":0.76471,\"logLoss\":0.344519",
                        "\"accuracy\":0.8942,\"kappa\":0.787,\"logLoss\":0.3369")
                + ",\"majorityClass\":" + windows("\"accuracy\":0.6175,\"kappa\":0.0,\"logLoss\":0.6653",
                        "\"accuracy\":0.538,\"kappa\":0.0,\"logLoss\":0.7041")
                + ",\"noChange\":" + windows("\"accuracy\":0.5347,\"kappa\":0.0149,\"logLoss\":0.6908",
                        "\"accuracy\":0.5008,\"kappa\":-0.0042,\"logLoss\":0.6956")
                + "},\"lift\":{\"cumulative\":{\"baseline\":\"majorityClass\",\"accuracy\":0.27292,\"kappa\":0.7647,"
                + "\"logLoss\":0.3208}},\"driftAlarms\":3}");
        kafka.send(topic, "sea", "{\"model\":\"sea\",\"version\":6310,\"examples\":50477,\"unscored\":0,"
                + "\"trigger\":\"drift\",\"time\":\"1970-01-01T00:14:01Z\",\"task\":\"classification\",\"classes\":2,"
                + "\"window\":5000,\"fadingFactor\":0.999,\"scores\":{"
                + "\"model\":" + windows("\"accuracy\":0.9,\"kappa\":null,\"logLoss\":0.3409", "\"accuracy\":0.8")
                + ",\"majorityClass\":" + windows("\"accuracy\":0.62", "\"accuracy\":0.5")
                + ",\"noChange\":" + windows("\"accuracy\":0.7", "\"accuracy\":0.5")
                + "},\"lift\":{\"cumulative\":{\"baseline\":\"noChange\",\"accuracy\":0.2}},\"driftAlarms\":2,"
                + "\"drift\":{\"detector\":\"page_hinkley\",\"observation\":50477,\"sinceReset\":22086,"
                + "\"statistic\":100.6956,\"threshold\":100.0,\"meanLoss\":0.3409,\"reaction\":\"reset_model\"}}");
        kafka.send(topic, "reg", "{\"model\":\"reg\",\"version\":3,\"examples\":0,\"unscored\":0,"
                + "\"trigger\":\"snapshot\",\"time\":\"1970-01-01T00:00:01Z\",\"task\":\"regression\",\"outputs\":1,"
                + "\"window\":1000,\"fadingFactor\":0.999,\"scores\":{"
                + "\"model\":" + windows("\"mae\":null,\"rmse\":null", "\"mae\":null,\"rmse\":null")
                + ",\"runningMean\":" + windows("\"mae\":null,\"rmse\":null", "\"mae\":null,\"rmse\":null")
                + "},\"lift\":{\"cumulative\":{\"baseline\":\"runningMean\",\"mae\":null,\"rmse\":null}},"
                + "\"driftAlarms\":0}");
        kafka.send(topic, "reg", "not json");

        CliFixture.Result all = kafka.cli("tail", "metrics", "--from-beginning", "--max", "4");
        CliFixture.Result onlySea = kafka.cli("tail", "metrics", "--model", "sea", "--from-beginning", "--max", "2");

        assertEquals(0, all.code(), all.toString());
        assertEquals(4, all.out().lines().count(), all.out());
        assertTrue(all.out().contains("model=sea version=12499 examples=100000 trigger=cadence accuracy=0.8904"
                + " kappa=0.7647 logLoss=0.3445 slidingAccuracy=0.8942 majorityClass=0.6175 noChange=0.5347"
                + " lift=0.2729 bestBaseline=majorityClass driftAlarms=3 time=1970-01-01T00:18:20Z\n"), all.out());
        assertTrue(all.out().contains("model=sea version=6310 examples=50477 trigger=drift accuracy=0.9 kappa=-"
                + " logLoss=0.3409 slidingAccuracy=0.8 majorityClass=0.62 noChange=0.7 lift=0.2 bestBaseline=noChange"
                + " driftAlarms=2 drift=page_hinkley statistic=100.7 threshold=100 meanLoss=0.3409"
                + " reaction=reset_model time=1970-01-01T00:14:01Z\n"), all.out());
        assertTrue(all.out().contains("model=reg version=3 examples=0 trigger=snapshot mae=- rmse=- slidingMae=-"
                + " runningMeanMae=- liftMae=- driftAlarms=0 time=1970-01-01T00:00:01Z\n"), all.out());
        assertTrue(all.out().contains("unreadable record at " + topic + "-"), all.out());
        assertEquals(0, onlySea.code(), onlySea.toString());
        assertEquals(2, onlySea.out().lines().count(), onlySea.out());
        assertTrue(onlySea.out().lines().allMatch(line -> line.startsWith("model=sea ")), onlySea.out());
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
        assertTrue(unknown.err().startsWith("streamprop tail: cannot tail 'examples', expected predictions, snapshots,"
                + " dead-letters or metrics\nUsage: streamprop tail"), unknown.err());
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("streamprop tail: expected predictions|snapshots|dead-letters|metrics;"
                + " missing"), none.err());
    }

    /** A predictor's scores over the three windows; the fading window repeats the sliding one's. */
    private static String windows(String cumulative, String sliding) {
        return "{\"cumulative\":{\"examples\":100.0," + cumulative + "},\"sliding\":{\"examples\":50.0," + sliding
                + "},\"fading\":{\"examples\":40.0," + sliding + "}}";
    }

    private static String prediction(String id) {
        return "{\"model\":\"m\",\"id\":\"" + id + "\",\"version\":0,\"output\":[0.5],\"class\":1,"
                + "\"topic\":\"streamprop.queries\",\"partition\":0,\"offset\":1}";
    }
}
