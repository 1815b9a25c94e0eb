package io.streamprop.bench;

import io.streamprop.StreampropVersion;
import io.streamprop.broker.BrokerProcess;
import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.serde.BadRecordException;
import io.streamprop.serde.ExampleParser;
import io.streamprop.serde.ParsedExample;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.TopicDefinition;
import io.streamprop.topics.Topics;
import io.streamprop.topology.LearnerTopology;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Measures the learner end to end with exactly-once on a real broker (a separate process on
 * this machine): its throughput against a pass-through Streams application that parses the same
 * JSON and against the in-memory core on the same examples, its latency from produce to committed
 * prediction at half its maximum rate, and its heap.
 */
public final class EndToEndBenchmark {
    private static final String MODEL = "bench";
    /** The stream's second half is measured: from the mark after its fifth tenth. */
    private static final int MEASURED_FROM_TENTH = 5;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final double latencySeconds;
    private final Map<String, String> learnerSettings;
    private final Consumer<String> progress;

    /**
     * @param learnerSettings extra settings for the learner (and the pass-through app), such as
     *     {@code commit.interval.ms}
     */
    public EndToEndBenchmark(double latencySeconds, Map<String, String> learnerSettings,
                             Consumer<String> progress) {
        this.latencySeconds = latencySeconds;
        this.learnerSettings = Map.copyOf(learnerSettings);
        this.progress = progress;
    }

    /** A network to measure and how many examples to stream through it. */
    public record Workload(String name, NetworkSpec spec, int examples) {
        /**
         * 20-64-64-2 with batch 32 and 784-256-10 with batch 64, both Adam and softmax: 600,000
         * and 60,000 examples at scale 1, so that the measured second half of each stream runs
         * on warm code.
         */
        public static List<Workload> standard(double scale) {
            return List.of(
                    new Workload("20-64-64-2, batch 32", NetworkSpec.builder(20, 64, 64, 2).multiClassifier()
                            .batchSize(32).build(), (int) (600_000 * scale)),
                    new Workload("784-256-10, batch 64", NetworkSpec.builder(784, 256, 10).multiClassifier()
                            .batchSize(64).build(), (int) (60_000 * scale)));
        }
    }

    /**
     * What one workload measured; rates in examples per second, latencies in milliseconds, heap
     * in bytes above what the benchmark itself holds (its example payloads) before the learner
     * starts: the peak in use while the learner runs, and what remains live after a GC.
     */
    public record Result(Workload workload, double learnerRate, double passThroughRate, double coreRate,
                         double latencyRate, double p50Millis, double p99Millis, long latencySamples,
                         long peakHeapBytes, long heapAfterGcBytes) {
        public double ofPassThrough() {
            return learnerRate / passThroughRate;
        }

        public double ofCore() {
            return learnerRate / coreRate;
        }

        /**
         * The rate of a learner whose cost per example were exactly the core's plus the
         * pass-through application's, one after the other on one thread: what a learner that
         * does the network's work on the stream thread can reach at most, unless its Kafka work
         * costs less than the pass-through's.
         */
        public double serialBound() {
            return 1 / (1 / coreRate + 1 / passThroughRate);
        }
    }

    public List<Result> run(List<Workload> workloads) throws Exception {
        Path dir = Files.createTempDirectory("streamprop-bench-");
        try (BrokerProcess broker = BrokerProcess.withFreePorts(dir.resolve("broker"))
                .jvmOptions(List.of("-Xmx1g", "-XX:+UseParallelGC"))) {
            broker.start();
            progress.accept("broker process started at " + broker.bootstrapServers());
            List<Result> results = new ArrayList<>();
            for (Workload w : workloads) {
                results.add(measure(w, broker.bootstrapServers(), dir));
            }
            return results;
        } finally {
            deleteRecursively(dir);
        }
    }

    private Result measure(Workload w, String bootstrap, Path dir) throws Exception {
        List<byte[]> payloads = payloads(w.spec(), w.examples());
        progress.accept(w.name() + ": " + payloads.size() + " examples of "
                + payloads.get(0).length + " bytes");

        double core = coreRate(w.spec(), payloads);
        progress.accept(w.name() + ": in-memory core " + Math.round(core) + " examples/s");

        String ptPrefix = "bench-pt-" + shortId() + ".";
        List<TopicDefinition> ptTopics = topics(ptPrefix, bootstrap);
        produce(bootstrap, ptPrefix + Topics.EXAMPLES.name(), payloads);
        Properties ptProps = baseStreamsProperties(bootstrap, ptPrefix + "passthrough", dir);
        learnerSettings.forEach((k, v) -> {
            if (!k.startsWith(StreampropConfig.PREFIX)) {
                ptProps.setProperty(k, v);
            }
        });
        Topology pt = PassThroughTopology.build(ptPrefix + Topics.EXAMPLES.name(),
                ptPrefix + Topics.PREDICTIONS.name(), 100_000);
        double passThrough;
        try (KafkaStreams streams = new KafkaStreams(pt, ptProps)) {
            streams.start();
            passThrough = drainRate(bootstrap, ptPrefix + Topics.PREDICTIONS.name(), payloads.size(),
                    w.name() + ": pass-through");
            close(streams);
        }
        deleteTopics(bootstrap, ptTopics);

        String prefix = "bench-learner-" + shortId() + ".";
        List<TopicDefinition> learnerTopics = topics(prefix, bootstrap);
        StreampropConfig config = learnerConfig(bootstrap, prefix, dir);
        Topology learner = LearnerTopology.build(config, StreampropVersion.current());
        HeapSampler heap = new HeapSampler();
        // the harness's own data (the payloads) stays live throughout: measure above it
        long baseline = heapAfterGc();
        double learnerRate;
        double[] latency;
        long heapAfterGc;
        // the spec first, alone, so that the examples never overtake it
        produceSpec(bootstrap, prefix + Topics.MODELS.name(), w.spec());
        try (KafkaStreams streams = new KafkaStreams(learner, config.streamsProperties())) {
            streams.start();
            awaitRecords(bootstrap, prefix + Topics.SNAPSHOTS.name(), 1);
            produce(bootstrap, prefix + Topics.EXAMPLES.name(), payloads);
            heap.start();
            learnerRate = drainRate(bootstrap, prefix + Topics.PREDICTIONS.name(), payloads.size(),
                    w.name() + ": learner");

            double rate = learnerRate / 2;
            latency = latencyAt(bootstrap, prefix, payloads, rate, payloads.size());
            heap.stop();
            heapAfterGc = heapAfterGc();
            close(streams);
        }
        deleteTopics(bootstrap, learnerTopics);
        return new Result(w, learnerRate, passThrough, core, learnerRate / 2, latency[0], latency[1],
                (long) latency[2], heap.peak() - baseline, heapAfterGc - baseline);
    }

    /** Test-then-train on the same JSON payloads, in memory, with the same parser. */
    static double coreRate(NetworkSpec spec, List<byte[]> payloads) throws BadRecordException {
        ExampleParser parser = new ExampleParser(100_000);
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        double[] out = new double[spec.outputs()];
        double[] target = new double[spec.outputs()];
        int warm = payloads.size() / 2;
        long start = 0;
        for (int i = 0; i < payloads.size(); i++) {
            if (i == warm) {
                start = System.nanoTime();
            }
            ParsedExample e = parser.parse(payloads.get(i));
            Arrays.fill(target, 0);
            target[(int) e.label().scalar()] = 1;
            model.predictAndAdd(e.features(), target, out, batch);
            if (batch.isFull()) {
                model.step(batch);
                batch.clear();
            }
        }
        return (payloads.size() - warm) / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Produces at {@code rate} per second for the configured time and returns the p50 and p99
     * of produce-to-committed-prediction latency, and the sample count.
     */
    private double[] latencyAt(String bootstrap, String prefix, List<byte[]> payloads, double rate,
                               int alreadyThere) throws Exception {
        int count = (int) Math.max(100, Math.min(payloads.size(), rate * latencySeconds));
        List<Long> latencies = new ArrayList<>(count);
        // payload i has id "i"; its prediction carries the id back
        long[] sentAt = new long[count];
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = committedReader(bootstrap)) {
                TopicPartition tp = new TopicPartition(prefix + Topics.PREDICTIONS.name(), 0);
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp);
                while (!done.get() && latencies.size() < count) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        int id = Integer.parseInt(JSON.readTree(r.value()).get("id").asText());
                        synchronized (sentAt) {
                            latencies.add(now - sentAt[id]);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "bench-latency-reader");
        reader.start();
        Thread.sleep(1000);
        progress.accept("  latency: " + count + " examples at " + Math.round(rate) + " examples/s");
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            byte[] key = MODEL.getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                synchronized (sentAt) {
                    sentAt[i] = System.currentTimeMillis();
                }
                producer.send(new ProducerRecord<>(prefix + Topics.EXAMPLES.name(), 0, key, payloads.get(i)));
            }
        }
        reader.join(60_000);
        done.set(true);
        reader.join();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        return new double[] {sorted[sorted.length / 2], sorted[(int) Math.min(sorted.length - 1,
                Math.ceil(sorted.length * 0.99) - 1)], sorted.length};
    }

    /**
     * Reads committed records of {@code topic} until {@code expected} have come; returns the
     * rate over the second half of them by the records' broker append times, so that start-up
     * and the JIT's warm-up are left out and commits do not quantise the figure. Reports the rate
     * over each tenth, which shows how far the first half had to warm up.
     */
    private double drainRate(String bootstrap, String topic, int expected, String name) {
        long[] marks = appendTimesAtTenths(bootstrap, topic, expected);
        StringBuilder tenths = new StringBuilder();
        for (int i = 1; i < marks.length; i++) {
            double seconds = (marks[i] - marks[i - 1]) / 1000.0;
            tenths.append(i == 1 ? "" : " ").append(seconds <= 0 ? "-" : Math.round(expected / 10.0 / seconds));
        }
        long from = marks[MEASURED_FROM_TENTH];
        long to = marks[10];
        double rate = to <= from ? Double.NaN : expected * (10 - MEASURED_FROM_TENTH) / 10.0 / ((to - from) / 1000.0);
        progress.accept(name + " " + Math.round(rate) + " examples/s over the second half (by tenth: "
                + tenths + ")");
        return rate;
    }

    /**
     * The broker append times of the first record and of the records at each tenth of
     * {@code expected} committed records of {@code topic}, 11 in all.
     */
    private static long[] appendTimesAtTenths(String bootstrap, String topic, int expected) {
        long[] marks = new long[11];
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(bootstrap)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long count = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            int next = 0;
            while (count < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + count + " of " + expected + " records on " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    count++;
                    // mark 0 is the first record, mark i the record at i tenths of the stream
                    while (next <= 10 && count >= Math.max(1, (long) expected * next / 10)) {
                        marks[next++] = r.timestamp();
                    }
                }
            }
            return marks;
        }
    }

    /** Waits until {@code expected} committed records are on {@code topic}. */
    private static void awaitRecords(String bootstrap, String topic, int expected) {
        appendTimesAtTenths(bootstrap, topic, expected);
    }

    private static List<byte[]> payloads(NetworkSpec spec, int n) {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> out = new ArrayList<>(n);
        int inputs = spec.inputs();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            sb.append("{\"id\":\"").append(i).append("\",\"features\":[");
            for (int j = 0; j < inputs; j++) {
                // three decimals, like pixel intensities scaled to [0, 1]
                sb.append(j == 0 ? "" : ",").append(random.nextInt(1000) / 1000.0);
            }
            sb.append("],\"label\":").append(random.nextInt(spec.outputs())).append('}');
            out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void produce(String bootstrap, String topic, List<byte[]> payloads) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            byte[] key = MODEL.getBytes(StandardCharsets.UTF_8);
            // the first record alone and acknowledged: on a topic created a moment ago, a burst of
            // batches to a partition whose leader is still being elected was seen to retry forever
            // with OUT_OF_ORDER_SEQUENCE_NUMBER
            producer.send(new ProducerRecord<>(topic, 0, key, payloads.get(0))).get(60, TimeUnit.SECONDS);
            for (byte[] p : payloads.subList(1, payloads.size())) {
                producer.send(new ProducerRecord<>(topic, 0, key, p));
            }
        }
    }

    private static void produceSpec(String bootstrap, String topic, NetworkSpec spec) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, MODEL.getBytes(StandardCharsets.UTF_8),
                    spec.toJson().getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static List<TopicDefinition> topics(String prefix, String bootstrap) {
        List<TopicDefinition> defs = new ArrayList<>();
        for (TopicDefinition d : Topics.withPrefix(prefix, Topics.all())) {
            TopicDefinition one = d.withPartitions(1);
            // the broker stamps each output record when it is written: rates then come from
            // those stamps, not from when a commit happened to make them visible
            defs.add(d.name().endsWith(Topics.PREDICTIONS.name())
                    ? one.withExtraConfig("message.timestamp.type", "LogAppendTime") : one);
        }
        try (TopicCreator creator = TopicCreator.connect(bootstrap, Map.of(), Duration.ofSeconds(60))) {
            creator.createMissing(defs);
        }
        return defs;
    }

    private static void deleteTopics(String bootstrap, List<TopicDefinition> defs) {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(Topics.names(defs)).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // leftover topics only cost disk in a temporary directory
        }
    }

    /** Settings shared by the pass-through app and the learner: the learner's Streams defaults. */
    private static Properties baseStreamsProperties(String bootstrap, String appId, Path dir) {
        Properties p = new Properties();
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, StreampropConfig.DEFAULT_COMMIT_INTERVAL_MS);
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + appId).toString());
        return p;
    }

    private StreampropConfig learnerConfig(String bootstrap, String prefix, Path dir) {
        Map<String, String> s = new HashMap<>();
        baseStreamsProperties(bootstrap, prefix + "learner", dir).forEach((k, v) -> s.put((String) k, (String) v));
        s.putAll(StreampropConfig.topicSettings(prefix));
        s.putAll(learnerSettings);
        return StreampropConfig.of(s);
    }

    private static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Samples the heap in use every 50 ms and keeps the largest value. */
    private static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                while (running.get()) {
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    peak.accumulateAndGet(used, Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        long peak() {
            return peak.get();
        }
    }
}
