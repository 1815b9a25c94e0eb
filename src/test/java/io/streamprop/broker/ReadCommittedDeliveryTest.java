package io.streamprop.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.streamprop.testkit.KafkaCluster;
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
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(KafkaCluster.class)
class ReadCommittedDeliveryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldDeliverOnlyCommittedTransactionsToReadCommittedConsumer() throws Exception {
        String bootstrap = KafkaCluster.bootstrapServers();
        String topic = "read-committed-" + UUID.randomUUID();
        createTopic(bootstrap, topic);

        try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap)) {
            producer.initTransactions();
            sendInTransaction(producer, topic, List.of("committed-1", "committed-2", "committed-3"));
            producer.commitTransaction();
            sendInTransaction(producer, topic, List.of("aborted-1", "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            sendInTransaction(producer, topic, List.of("committed-4"));
            producer.commitTransaction();
        }

        assertEquals(List.of("committed-1", "committed-2", "committed-3", "committed-4"),
                TopicReader.readValues(bootstrap, topic, IsolationLevel.READ_COMMITTED, TIMEOUT));
        // The aborted records did reach the log: only the isolation level hides them.
        assertEquals(List.of("committed-1", "committed-2", "committed-3", "aborted-1", "aborted-2",
                        "committed-4"),
                TopicReader.readValues(bootstrap, topic, IsolationLevel.READ_UNCOMMITTED, TIMEOUT));
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty());
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Set<String> topics = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(topics.contains(topic), () -> "topics " + topics + " lack " + topic);
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "read-committed-test-" + UUID.randomUUID(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic,
                                          List<String> values) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, value));
        }
    }
}
