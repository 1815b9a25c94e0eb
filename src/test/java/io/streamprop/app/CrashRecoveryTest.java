package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.testkit.TopicReader;
import io.streamprop.topology.LearnerTopologyReference;
import io.streamprop.topology.StreampropConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the learner process with SIGKILL at random points in the middle of a stream, several
 * times, restarts it each time, and checks that nothing was lost or repeated: one committed
 * prediction per example, counters that match the input, and final weights and every metrics
 * record bit-identical to an uninterrupted run over the same input.
 */
@ExtendWith(KafkaCluster.class)
class CrashRecoveryTest {
    private static final Logger log = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final long SEED = Long.getLong("streamprop.crashTest.seed", 20261203L);
    private static final int KILLS = 3;
    private static final List<String> MODELS = List.of("alpha", "beta", "gamma");
    private static final int EXAMPLES_PER_MODEL = 6000;
    private static final int BATCH = 8;
    private static final String SPEC = "{\"layers\": [4, 16, 3], \"hiddenActivation\": \"tanh\","
            + " \"outputActivation\": \"softmax\", \"loss\": \"categorical_cross_entropy\","
            + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}, \"batchSize\": " + BATCH + ","
            + " \"standardize\": true, \"snapshotEvery\": " + (EXAMPLES_PER_MODEL / BATCH) + "}";

    @Test
    void shouldLoseAndRepeatNothingWhenKilledMidStream() throws Exception {
        Random random = new Random(SEED);
        log.info("Crash test seed {}", SEED);
        try (LearnerFixture kafka = new LearnerFixture(2)) {
            Map<String, String> settings = new HashMap<>(kafka.settings);
            Path work = Files.createTempDirectory("streamprop-crash-");
            settings.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "crash-test");
            settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000");
            settings.put(StreampropConfig.PARTIAL_BATCH_WAIT_MS, String.valueOf(Duration.ofDays(1).toMillis()));
            List<ProducerRecord<String, String>> input = input(kafka, random);

            try (LearnerProcess learner = new LearnerProcess(settings, work)) {
                learner.start();
                for (String model : MODELS) {
                    // stamped as the reference run stamps it, so that the metrics records compare whole
                    kafka.sendRecord(new ProducerRecord<>(kafka.topic(StreampropConfig.MODELS_TOPIC), null,
                            input.get(0).timestamp() - 1, model, SPEC));
                }
                kafka.flush();
                kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, MODELS.size(), Duration.ofSeconds(90));
                input.forEach(kafka::sendRecord);
                kafka.flush();

                long total = (long) MODELS.size() * EXAMPLES_PER_MODEL;
                for (int kill = 1; kill <= KILLS; kill++) {
                    // spread the kills over the stream, each at a random moment past its mark
                    awaitProgress(kafka, total * kill / (KILLS + 2), Duration.ofSeconds(90));
                    Thread.sleep(random.nextInt(500));
                    learner.kill();
                    int committed = TopicReader.readValues(kafka.bootstrap,
                            kafka.topic(StreampropConfig.PREDICTIONS_TOPIC), IsolationLevel.READ_COMMITTED,
                            Duration.ofSeconds(30)).size();
                    log.info("Kill {} of {}: SIGKILL with {} of {} predictions committed", kill, KILLS,
                            committed, total);
                    assertTrue(committed < total, "kill " + kill + " came after the stream had ended");
                    learner.start();
                }

                List<JsonNode> predictions = kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, (int) total,
                        Duration.ofSeconds(120));
                List<JsonNode> finals = kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 2 * MODELS.size(),
                        Duration.ofSeconds(60));
                learner.stop();
                // nothing more arrives after the process has finished its work and stopped
                List<JsonNode> everything = kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, (int) total);
                assertEquals(total, everything.size());

                Set<String> ids = new HashSet<>();
                for (JsonNode p : predictions) {
                    assertTrue(ids.add(p.get("model").asText() + "/" + p.get("id").asText()), "repeated " + p);
                }
                assertEquals(total, ids.size(), "one committed prediction per example");

                LearnerTopologyReference.Run uninterrupted = LearnerTopologyReference.run(SPEC, input,
                        kafka.topic(StreampropConfig.EXAMPLES_TOPIC), Map.of());
                Map<String, JsonNode> reference = uninterrupted.lastSnapshots();
                Map<String, JsonNode> last = finals.stream().filter(s -> s.get("version").asLong() > 0)
                        .collect(Collectors.toMap(s -> s.get("model").asText(), s -> s));
                assertEquals(new HashSet<>(MODELS), last.keySet());
                for (String model : MODELS) {
                    JsonNode snapshot = last.get(model);
                    assertEquals(EXAMPLES_PER_MODEL, snapshot.get("examplesSeen").asLong(), model);
                    assertEquals(EXAMPLES_PER_MODEL / BATCH, snapshot.get("version").asLong(), model);
                    assertEquals(reference.get(model).get("state"), snapshot.get("state"),
                            model + ": weights differ from the uninterrupted run");
                }
                int expectedMetrics = uninterrupted.metrics().values().stream().mapToInt(List::size).sum();
                Map<String, List<JsonNode>> metrics = LearnerTopologyReference.byModel(
                        kafka.awaitRecords(StreampropConfig.METRICS_TOPIC, expectedMetrics));
                LearnerTopologyReference.assertSameMetrics(uninterrupted.metrics(), metrics);
            }
            // kept when the test fails: the learner's log is there
            LearnerFixture.deleteRecursively(work);
        }
    }

    /** Seeded examples for every model, interleaved, with explicit timestamps. */
    private static List<ProducerRecord<String, String>> input(LearnerFixture kafka, Random random) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        String topic = kafka.topic(StreampropConfig.EXAMPLES_TOPIC);
        long time = System.currentTimeMillis();
        for (int i = 0; i < EXAMPLES_PER_MODEL; i++) {
            for (String model : MODELS) {
                double[] x = new double[4];
                for (int j = 0; j < 4; j++) {
                    x[j] = Math.round(random.nextGaussian() * 1000) / 100.0;
                }
                int label = (x[0] + x[1] > 0 ? 1 : 0) + (x[2] > 1 ? 1 : 0);
                String value = "{\"id\": \"" + i + "\", \"features\": " + java.util.Arrays.toString(x)
                        + ", \"label\": " + label + "}";
                records.add(new ProducerRecord<>(topic, null, time + i, model, value));
            }
        }
        return records;
    }

    private static void awaitProgress(LearnerFixture kafka, long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (committedRecords(kafka, StreampropConfig.PREDICTIONS_TOPIC) < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the learner made no progress within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** The last stable offsets of a topic, summed over its partitions. */
    private static long committedRecords(LearnerFixture kafka, String topicKey) {
        String topic = kafka.topic(topicKey);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < kafka.partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            return consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
