package io.streamprop.cli;

import io.streamprop.data.ExampleJson;
import io.streamprop.data.ExampleSource;
import io.streamprop.data.Skipped;
import io.streamprop.serde.ParsedExample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a dataset to the examples or queries topic, keyed by model id, with an idempotent
 * producer (acks=all), so that a retried batch is written once and the order within the model's
 * partition is the order of the source.
 */
final class DatasetProducer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatasetProducer.class);
    /** How long a send waits for the topic's metadata, unless the client settings say otherwise. */
    static final int DEFAULT_MAX_BLOCK_MS = 30_000;

    private final KafkaProducer<String, byte[]> producer;
    private final Object maxBlockMs;

    /**
     * @param clientProperties producer settings: {@code bootstrap.servers} and any other, such as
     *        security settings; idempotence and acks=all are always on
     */
    DatasetProducer(Map<String, Object> clientProperties) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "streamprop-produce");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
        config.putAll(clientProperties);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        maxBlockMs = config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Where the records go: the topic, the key (the model id), and whether labels are written. */
    record Target(String topic, String model, boolean withLabels) {
    }

    /** Told about bad records and progress while a dataset is sent. */
    interface Listener {
        void skipped(Skipped record);

        /** Called after each record, sent or skipped. */
        void progress(long sent, long skipped);
    }

    /**
     * What a send did.
     *
     * @param sent records acknowledged by the cluster
     * @param skipped bad records passed over, by reason
     * @param bytes bytes of the keys and values sent
     * @param stopped whether the send was stopped before the source ended
     */
    record Summary(Target target, long sent, Map<String, Long> skipped, long bytes, long elapsedNanos,
                   boolean stopped) {
        long skippedTotal() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }

        double seconds() {
            return elapsedNanos / 1e9;
        }

        double rate() {
            return elapsedNanos > 0 ? sent / seconds() : 0;
        }
    }

    /**
     * Sends the source's examples, at most {@code limit}, at most at {@code rate}, until the
     * source ends or {@code stop} says so; returns once every record sent is acknowledged.
     *
     * @throws SendFailedException when the cluster refused a record or could not be reached
     * @throws IOException when the source cannot be read
     */
    Summary send(ExampleSource source, Target target, Rate rate, long limit, Listener listener, BooleanSupplier stop)
            throws IOException, InterruptedException, SendFailedException {
        checkTopic(target.topic());
        byte[] key = target.model().getBytes(StandardCharsets.UTF_8);
        Map<String, Long> skipped = new TreeMap<>();
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        long handed = 0;
        long start = System.nanoTime();
        boolean stopped = false;
        Consumer<Skipped> onSkip = record -> {
            skipped.merge(record.reason(), 1L, Long::sum);
            listener.skipped(record);
        };
        while (handed < limit && failure.get() == null) {
            if (stop.getAsBoolean()) {
                stopped = true;
                break;
            }
            ParsedExample example = source.next(onSkip);
            if (example == null) {
                break;
            }
            if (target.withLabels() && example.label() == null) {
                onSkip.accept(new Skipped("example " + (example.id() == null ? "#" + handed : example.id()),
                        "missing_label", "has no label; the examples topic needs one (queries go to --topic queries)"));
                continue;
            }
            byte[] value = ExampleJson.write(example, target.withLabels());
            rate.await(handed);
            producer.send(new ProducerRecord<>(target.topic(), target.model(), value), (metadata, e) -> {
                if (e == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failure.compareAndSet(null, e);
                }
            });
            handed++;
            bytes += key.length + value.length;
            listener.progress(handed, skipped.values().stream().mapToLong(Long::longValue).sum());
        }
        producer.flush();
        Summary summary = new Summary(target, acknowledged.get(), skipped, bytes, System.nanoTime() - start, stopped);
        if (failure.get() != null) {
            throw new SendFailedException("sending to " + target.topic() + " failed after " + summary.sent()
                    + " records were acknowledged: " + failure.get().getMessage(), failure.get());
        }
        log.debug("Sent {} records to {} with key {} ({} bytes); skipped {}", summary.sent(), target.topic(),
                target.model(), bytes, skipped);
        return summary;
    }

    private void checkTopic(String topic) throws SendFailedException {
        try {
            producer.partitionsFor(topic);
        } catch (TimeoutException e) {
            throw new SendFailedException("topic " + topic + " was not found within " + maxBlockMs + " ms (max.block.ms):"
                    + " is the cluster reachable, and were the topics created (streamprop topics create)?", e);
        } catch (KafkaException e) {
            throw new SendFailedException("cannot send to " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    /** The cluster refused the records or could not be reached. */
    static final class SendFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        SendFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
