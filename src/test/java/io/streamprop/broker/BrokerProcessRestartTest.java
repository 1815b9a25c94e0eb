package io.streamprop.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.streamprop.testkit.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class BrokerProcessRestartTest {
    private static final String TOPIC = "survives-crash";
    private static final List<String> VALUES = List.of("first", "second", "third", "fourth");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tempDir;

    @Test
    void shouldKeepAcknowledgedRecordsAfterSigkillAndRestartOnSameLogDir() throws Exception {
        try (BrokerProcess broker = BrokerProcess.withFreePorts(tempDir.resolve("kafka"))) {
            broker.start();
            long firstPid = broker.pid();
            createTopic(broker.bootstrapServers());
            produceAcknowledged(broker.bootstrapServers());

            broker.kill();
            assertFalse(broker.isAlive(), "the broker process outlived SIGKILL");

            broker.start();
            assertNotEquals(firstPid, broker.pid());
            assertEquals(VALUES, TopicReader.readValues(broker.bootstrapServers(), TOPIC,
                    IsolationLevel.READ_COMMITTED, TIMEOUT));
        }
    }

    private static void createTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void produceAcknowledged(String bootstrap) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (String value : VALUES) {
                producer.send(new ProducerRecord<>(TOPIC, value)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
