package io.streamprop.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches examples with a consumer of its own, configured like Kafka Streams' restore consumer
 * (same cluster, security settings and isolation level, no group). The consumer is created on
 * first use, which only happens when a model is rebuilt from its checkpoint and log.
 */
final class KafkaExampleFetcher implements ExampleFetcher {
    private static final Logger log = LoggerFactory.getLogger(KafkaExampleFetcher.class);
    /** How long a fetch may go without receiving anything before it gives up. */
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private final Map<String, Object> appConfigs;
    private final String clientId;
    /** Whether each fetch is logged at info (a rebuild by the learner) or at debug (frequent, for queries). */
    private final boolean logFetches;
    private KafkaConsumer<byte[], byte[]> consumer;

    KafkaExampleFetcher(Map<String, Object> appConfigs, String clientId) {
        this(appConfigs, clientId, true);
    }

    KafkaExampleFetcher(Map<String, Object> appConfigs, String clientId, boolean logFetches) {
        this.appConfigs = new HashMap<>(appConfigs);
        this.clientId = clientId;
        this.logFetches = logFetches;
    }

    @Override
    public Map<Long, byte[]> fetch(TopicPartition partition, SortedSet<Long> offsets) {
        Map<Long, byte[]> values = new HashMap<>();
        if (offsets.isEmpty()) {
            return values;
        }
        KafkaConsumer<byte[], byte[]> c = consumer();
        c.assign(List.of(partition));
        long first = offsets.first();
        long last = offsets.last();
        long start = Math.max(first, c.beginningOffsets(List.of(partition)).get(partition));
        long end = c.endOffsets(List.of(partition)).get(partition);
        c.seek(partition, start);
        long stalledSince = System.nanoTime();
        while (c.position(partition) <= last && c.position(partition) < end) {
            var records = c.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                if (System.nanoTime() - stalledSince > STALL_LIMIT.toNanos()) {
                    log.warn("Gave up reading {} at offset {}: nothing received for {}", partition,
                            c.position(partition), STALL_LIMIT);
                    break;
                }
                continue;
            }
            stalledSince = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> r : records.records(partition)) {
                if (offsets.contains(r.offset())) {
                    values.put(r.offset(), r.value());
                }
            }
        }
        c.unsubscribe();
        if (logFetches) {
            log.info("Read back {} of {} logged examples from {} (offsets {} to {})", values.size(), offsets.size(),
                    partition, first, last);
        } else {
            log.debug("Read back {} of {} logged examples from {} (offsets {} to {})", values.size(),
                    offsets.size(), partition, first, last);
        }
        return values;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> props = new StreamsConfig(appConfigs).getRestoreConsumerConfigs(clientId);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            consumer = null;
        }
    }
}
