package io.streamprop.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning to its current end, outside any consumer group. */
public final class TopicReader {
    private TopicReader() {
    }

    /**
     * The values of every record in the topic, in offset order within each partition. With
     * {@link IsolationLevel#READ_COMMITTED} the end is the last stable offset.
     */
    public static List<String> readValues(String bootstrapServers, String topic,
                                          IsolationLevel isolation, Duration timeout) {
        return readRecords(bootstrapServers, topic, isolation, timeout).stream().map(ConsumerRecord::value)
                .collect(Collectors.toList());
    }

    /** Every record in the topic, as {@link #readValues} reads them. */
    public static List<ConsumerRecord<String, String>> readRecords(String bootstrapServers, String topic,
                                                                 IsolationLevel isolation, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, endOffsets)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Reading " + topic + " did not reach end offsets "
                            + endOffsets + " within " + timeout + "; read " + records.size() + " records");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    records.add(record);
                }
            }
            return records;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer,
                                      Map<TopicPartition, Long> endOffsets) {
        return endOffsets.entrySet().stream()
                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }
}
