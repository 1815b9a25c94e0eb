package io.streamprop.broker;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.streamprop.testkit.KafkaExitGuard;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each test starts its own embedded broker: the setting under test is the broker's. */
@ExtendWith(KafkaExitGuard.class)
class AutoCreateTopicsTest {
    private static final String TOPIC = "never-created";
    private static final int MAX_BLOCK_MS = 1_500;

    @Test
    void shouldRefuseToProduceToUnknownTopicWhenAutoCreateIsOff() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().autoCreateTopics(false).start();
             KafkaProducer<String, String> producer = producer(broker)) {
            Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(TOPIC, "value"));

            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> sent.get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failure.getCause());
            assertFalse(topicNames(broker).contains(TOPIC), "the broker created " + TOPIC);
        }
    }

    @Test
    void shouldCreateUnknownTopicOnFirstProduceWhenAutoCreateIsOn() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().autoCreateTopics(true).start();
             KafkaProducer<String, String> producer = producer(broker)) {
            RecordMetadata written = producer.send(new ProducerRecord<>(TOPIC, "value"))
                    .get(10, TimeUnit.SECONDS);

            assertEquals(TOPIC, written.topic());
            assertEquals(0L, written.offset());
            assertTrue(topicNames(broker).contains(TOPIC), "the broker did not create " + TOPIC);
        }
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker broker) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Set<String> topicNames(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        }
    }
}
