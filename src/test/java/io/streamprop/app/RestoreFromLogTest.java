package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.LearnerTopologyReference;
import io.streamprop.topology.StreampropConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A model's training log refers to its examples by offset; a learner that starts on an empty
 * state directory restores the log from its changelog, reads the examples back from the topic
 * and carries on exactly as an uninterrupted run would.
 */
@ExtendWith(KafkaCluster.class)
class RestoreFromLogTest {
    private static final String MODEL = "restored";
    private static final int BEFORE = 50;
    private static final int AFTER = 70;
    /** 129 parameters: the checkpoint outweighs the references to the first 50 examples. */
    private static final String SPEC = "{\"layers\": [2, 32, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 4, \"snapshotEvery\": 30}";

    @Test
    void shouldRebuildAModelFromLoggedReferencesOnAnotherInstance() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(1)) {
            kafka.settings.put(StreampropConfig.PARTIAL_BATCH_WAIT_MS, "86400000");
            List<ProducerRecord<String, String>> input = input(kafka.topic(StreampropConfig.EXAMPLES_TOPIC));

            learnTheFirstExamplesAndStop(kafka, input);

            // 12 steps and 2 pending examples live only in the log; the new instance has no local state
            kafka.startLearner();
            input.subList(BEFORE, input.size()).forEach(kafka::sendRecord);
            kafka.flush();
            List<JsonNode> predictions = kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, input.size());
            assertEquals(input.size(), predictions.size());
            JsonNode last = kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 2).get(1);

            Map<String, JsonNode> reference = LearnerTopologyReference.finalSnapshots(SPEC, input,
                    kafka.topic(StreampropConfig.EXAMPLES_TOPIC));
            assertEquals(30, last.get("version").asLong());
            assertEquals(reference.get(MODEL).get("state"), last.get("state"));

            List<byte[]> entries = changelog(kafka, kafka.settings.get(StreamsConfig.APPLICATION_ID_CONFIG)
                    + "-streamprop-training-log-changelog");
            assertTrue(entries.stream().anyMatch(v -> v != null && v[0] == 2),
                    "the log holds chunks of references");
            int largest = entries.stream().mapToInt(v -> v == null ? 0 : v.length).max().orElse(0);
            assertTrue(largest <= 5 + 20 * 64, "no log entry carries features: the largest is " + largest);
        }
    }

    /**
     * When the examples topic no longer holds examples that the log refers to (retention ran
     * ahead of the log's age limit), the rebuild leaves them out, and says how many, in the log,
     * the task's metrics and the instance's statistics.
     */
    @Test
    void shouldCountExamplesLeftOutOfARebuildWhenTheTopicNoLongerHoldsThem() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(1)) {
            kafka.settings.put(StreampropConfig.PARTIAL_BATCH_WAIT_MS, "86400000");
            String examples = kafka.topic(StreampropConfig.EXAMPLES_TOPIC);
            List<ProducerRecord<String, String>> input = input(examples);

            learnTheFirstExamplesAndStop(kafka, input);

            // the first 10 examples leave the topic while the log still refers to them
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap))) {
                admin.deleteRecords(Map.of(new TopicPartition(examples, 0), RecordsToDelete.beforeOffset(10)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            LearnerApp second = kafka.startLearner();
            kafka.sendRecord(input.get(BEFORE));
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, BEFORE + 1);

            assertEquals(10, second.learningStats().examplesLostOnReplay());
            double total = second.streams().metrics().values().stream()
                    .filter(m -> m.metricName().name().equals("examples-lost-on-replay-total"))
                    .mapToDouble(m -> ((Number) m.metricValue()).doubleValue()).sum();
            assertEquals(10.0, total);
        }
    }

    /** A first learner creates the model, predicts and learns the first examples, and stops. */
    private static void learnTheFirstExamplesAndStop(LearnerFixture kafka, List<ProducerRecord<String, String>> input)
            throws InterruptedException {
        LearnerApp first = kafka.startLearner();
        kafka.send(StreampropConfig.MODELS_TOPIC, MODEL, SPEC);
        kafka.flush();
        kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 1);
        input.subList(0, BEFORE).forEach(kafka::sendRecord);
        kafka.flush();
        kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, BEFORE);
        first.close();
    }

    private static List<byte[]> changelog(LearnerFixture kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<byte[]> values = new ArrayList<>();
            long deadline = System.nanoTime() + LearnerFixture.TIMEOUT.toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }

    private static List<ProducerRecord<String, String>> input(String topic) {
        Random random = new Random(11);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        long time = System.currentTimeMillis();
        for (int i = 0; i < BEFORE + AFTER; i++) {
            double a = Math.round(random.nextGaussian() * 100) / 100.0;
            double b = Math.round(random.nextGaussian() * 100) / 100.0;
            String value = "{\"id\": \"" + i + "\", \"features\": [" + a + ", " + b + "], \"label\": "
                    + (a * b > 0 ? 1 : 0) + "}";
            records.add(new ProducerRecord<>(topic, 0, time + i, MODEL, value));
        }
        return records;
    }
}
