package io.streamprop.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads keyed topics (compacted ones above all: models and snapshots) from their beginning to
 * their last committed offset, keeping the latest value of each key; a tombstone removes its key.
 */
final class TopicScan {
    private static final Duration POLL = Duration.ofMillis(200);

    private TopicScan() {
    }

    /** The partitions of {@code topic}, which must exist. */
    static List<TopicPartition> partitions(KafkaConnection connection, KafkaConsumer<byte[], byte[]> consumer,
                                           String topic) throws CommandFailure {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, connection.timeout());
        } catch (TimeoutException e) {
            throw connection.unanswered("find the partitions of " + topic, e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new CommandFailure(CommandFailure.FAILED, "topic " + topic + " does not exist on the cluster at "
                    + connection.bootstrapServers() + "; create the topics with 'streamprop topics create'");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).collect(Collectors.toList());
    }

    /**
     * The partition that the producers' default partitioner (and so the learner's output)
     * gives {@code key}: murmur2 of its UTF-8 bytes.
     */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The latest value of every key of {@code topic}, each turned by {@code summary} as it is read. */
    static <T> Map<String, T> latestByKey(KafkaConnection connection, KafkaConsumer<byte[], byte[]> consumer,
                                          String topic, Function<ConsumerRecord<byte[], byte[]>, T> summary)
            throws CommandFailure {
        Map<String, T> latest = new TreeMap<>();
        readToEnd(connection, consumer, partitions(connection, consumer, topic), record -> {
            if (record.key() == null) {
                return;
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                latest.remove(key);
            } else {
                latest.put(key, summary.apply(record));
            }
        });
        return latest;
    }

    /** The latest record of {@code key} on {@code topic}, read from the key's partition only; empty if none. */
    static Optional<ConsumerRecord<byte[], byte[]>> latest(KafkaConnection connection,
                                                          KafkaConsumer<byte[], byte[]> consumer, String topic,
                                                          String key) throws CommandFailure {
        List<TopicPartition> all = partitions(connection, consumer, topic);
        TopicPartition partition = all.get(partitionOf(key, all.size()));
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        AtomicReference<ConsumerRecord<byte[], byte[]>> found = new AtomicReference<>();
        readToEnd(connection, consumer, List.of(partition), record -> {
            if (Arrays.equals(keyBytes, record.key())) {
                found.set(record);
            }
        });
        return Optional.ofNullable(found.get()).filter(record -> record.value() != null);
    }

    /**
     * Feeds every committed record of the partitions to {@code sink}, in offset order per
     * partition, up to the end offsets found at the start. Fails if no record comes for the
     * connection's timeout before the end.
     */
    private static void readToEnd(KafkaConnection connection, KafkaConsumer<byte[], byte[]> consumer,
                                  List<TopicPartition> partitions,
                                  Consumer<ConsumerRecord<byte[], byte[]>> sink)
            throws CommandFailure {
        String topic = partitions.get(0).topic();
        Map<TopicPartition, Long> end;
        try {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            end = consumer.endOffsets(partitions, connection.timeout());
        } catch (TimeoutException e) {
            throw connection.unanswered("find the end of " + topic, e);
        }
        long stalledSince = System.nanoTime();
        while (!reachedEnd(consumer, end)) {
            int read = 0;
            try {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        sink.accept(record);
                    }
                    read++;
                }
            } catch (TimeoutException e) {
                throw connection.unanswered("read " + topic, e);
            }
            if (read > 0) {
                stalledSince = System.nanoTime();
            } else if (System.nanoTime() - stalledSince > connection.timeout().toNanos()) {
                throw new CommandFailure(CommandFailure.FAILED, "reading " + topic + " from the cluster at "
                        + connection.bootstrapServers() + " stalled for " + connection.timeout().toSeconds()
                        + " s before its end " + end + "; check --bootstrap-servers and --config");
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
