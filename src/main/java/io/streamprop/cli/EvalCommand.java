package io.streamprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamprop.app.LearnerApp;
import io.streamprop.broker.EmbeddedKafkaBroker;
import io.streamprop.nn.InvalidSpecException;
import io.streamprop.nn.Loss;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.TopicDefinition;
import io.streamprop.topics.Topics;
import io.streamprop.topology.ModelSpec;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code streamprop eval}: streams a dataset (a synthetic drifting stream, or Fashion-MNIST)
 * through the real learner, on an embedded broker (or a given cluster), to a network and to
 * logistic regression at once, and prints the prequential curve and the final scores of both
 * beside the majority-class and no-change baselines, all read from the metrics topic. A dataset
 * with a test set then has it predicted as queries and scored ({@link TestSetQueries}).
 */
final class EvalCommand implements Command {
    static final String NETWORK = "network";
    static final String LOGISTIC = "logistic";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "evaluate a network against logistic regression and baselines on a synthetic stream";
    }

    @Override
    public String usage() {
        return "Usage: streamprop eval [--stream sea|hyperplane|rbf] [--examples N] [--seed N] [--every N]\n"
                + "                       [--network SPEC] [--logistic SPEC] [--bootstrap-server HOST:PORT]\n"
                + "       streamprop eval --stream fashion-mnist [--data-dir DIR] [--examples N] ...\n\n"
                + "Starts an embedded Kafka broker, creates the topics, runs the learner, and streams the\n"
                + "dataset to two models at once: a network ('network') and logistic regression, a network\n"
                + "with no hidden layer ('logistic'). Every example is predicted before it is learned from.\n"
                + "Prints, from the metrics topic, the prequential accuracy of both models and of the\n"
                + "majority-class and no-change baselines over each block of --every examples, then the\n"
                + "accuracy, Cohen's kappa and log loss over the whole stream.\n\n"
                + "fashion-mnist streams the training images once, in file order, to a 784-256-10 network and\n"
                + "to 784-10 logistic regression, then sends the test images to both as queries (predicted,\n"
                + "never learned from) and prints the test accuracy of each, and of the baselines as the\n"
                + "training stream left them. The files come from Debian's dataset-fashion-mnist package\n"
                + "(apt-get install dataset-fashion-mnist) or any directory holding the four IDX files.\n\n"
                + "  --stream NAME      sea (default), hyperplane, rbf or fashion-mnist\n"
                + "  --data-dir DIR     fashion-mnist's files (default " + FashionMnist.DEBIAN_DIR + ")\n"
                + "  --examples N       examples to stream (default 100000; fashion-mnist: every training image)\n"
                + "  --seed N           seed of the stream and of the initial weights (default 1)\n"
                + "  --every N          examples per line of the curve (default: a twentieth of the run)\n"
                + "  --network SPEC     the network's spec, as JSON or @FILE (default: tuned per stream)\n"
                + "  --logistic SPEC    logistic regression's spec, as JSON or @FILE (default: tuned per stream)\n"
                + "  --bootstrap-server HOST:PORT\n"
                + "                     use this cluster instead of an embedded broker (topics get a\n"
                + "                     unique prefix)\n"
                + "  --timeout-seconds N  give up when no metrics arrive for this long (default 300)\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options options = Options.parse(args, Set.of("stream", "data-dir", "examples", "seed", "every", "network",
                "logistic", "bootstrap-server", "timeout-seconds"), Set.of());
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        EvalStream dataset = stream(options);
        long examples = options.longValue("examples", dataset.defaultExamples(), 1);
        if (examples > dataset.maxExamples()) {
            throw new UsageException(String.format("--examples %d is more than the %,d examples of %s", examples,
                    dataset.maxExamples(), dataset.optionName()));
        }
        long seed = options.longValue("seed", 1, Long.MIN_VALUE);
        long every = options.longValue("every", Math.max(1, examples / 20), 1);
        if (every > examples) {
            throw new UsageException("--every " + every + " is more than --examples " + examples);
        }
        Duration timeout = Duration.ofSeconds(options.longValue("timeout-seconds", 300, 1));
        Map<String, String> specs = new TreeMap<>();
        specs.put(NETWORK, spec(options, "network", dataset.networkSpec(seed), dataset));
        specs.put(LOGISTIC, spec(options, "logistic", dataset.logisticSpec(seed), dataset));

        out.printf("Evaluating on %s: %,d examples, seed %d%n", dataset.description(), examples, seed);
        out.printf("  %-9s %s%n  %-9s %s%n", NETWORK + ":", specs.get(NETWORK), LOGISTIC + ":", specs.get(LOGISTIC));
        Path work = Files.createTempDirectory("streamprop-eval-");
        try {
            if (options.has("bootstrap-server")) {
                String prefix = "eval-" + UUID.randomUUID().toString().substring(0, 8) + ".";
                return evaluate(options.text("bootstrap-server"), prefix, work, dataset, examples, seed, every,
                        specs, timeout, out);
            }
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(work.resolve("broker"))
                    .brokerProperty("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024)).start()) {
                out.printf("Embedded broker at %s%n", broker.bootstrapServers());
                return evaluate(broker.bootstrapServers(), "", work, dataset, examples, seed, every, specs, timeout,
                        out);
            }
        } finally {
            deleteRecursively(work);
        }
    }

    /** The stream that {@code --stream} names; Fashion-MNIST's files are looked for at once. */
    private static EvalStream stream(Options options) throws UsageException, CommandFailure {
        String name = options.has("stream") ? options.text("stream") : EvalDataset.SEA.optionName();
        if (name.equals(FashionMnist.NAME)) {
            Path dir = options.has("data-dir") ? Path.of(options.text("data-dir")) : FashionMnist.DEBIAN_DIR;
            try {
                return FashionMnist.in(dir);
            } catch (IOException e) {
                throw new CommandFailure(CommandFailure.FAILED, e.getMessage(), e);
            }
        }
        EvalDataset synthetic = EvalDataset.byOptionName(name);
        if (synthetic == null) {
            throw new UsageException("--stream must be one of sea, hyperplane, rbf, " + FashionMnist.NAME + "; got '"
                    + name + "'");
        }
        if (options.has("data-dir")) {
            throw new UsageException("--data-dir goes with --stream " + FashionMnist.NAME);
        }
        return synthetic;
    }

    private int evaluate(String bootstrap, String prefix, Path work, EvalStream dataset, long examples, long seed,
                         long every, Map<String, String> specs, Duration timeout, PrintStream out) throws Exception {
        List<TopicDefinition> topics = new ArrayList<>();
        for (TopicDefinition d : Topics.withPrefix(prefix, Topics.all())) {
            topics.add(d.withPartitions(1));
        }
        try (TopicCreator creator = TopicCreator.connect(bootstrap, Map.of(), STARTUP)) {
            creator.createMissing(topics);
        }
        StreampropConfig config = learnerConfig(bootstrap, prefix, work, every, dataset.commitIntervalMs());
        try (LearnerApp learner = new LearnerApp(config).start()) {
            if (!learner.awaitRunning(STARTUP)) {
                throw new IllegalStateException("the learner did not start within " + STARTUP.toSeconds() + " s");
            }
            learner.httpUrl().ifPresent(url -> out.printf("The learner's live page: %s%n", url));
            try (KafkaConsumer<String, String> metrics = metricsReader(bootstrap, config.metricsTopic());
                 KafkaProducer<String, String> producer = producer(bootstrap)) {
                for (Map.Entry<String, String> spec : specs.entrySet()) {
                    producer.send(new ProducerRecord<>(config.modelsTopic(), spec.getKey(), spec.getValue()))
                            .get(STARTUP.toSeconds(), TimeUnit.SECONDS);
                }
                AtomicReference<Exception> failure = new AtomicReference<>();
                Curve curve = new Curve(every, examples / every * every, out);
                curve.await(metrics, learner, failure, timeout, c -> c.created() == specs.size());
                long start = System.nanoTime();
                TestSetQueries.Baselines baselines = new TestSetQueries.Baselines(dataset.classes());
                Thread sender = new Thread(() -> send(producer, config.examplesTopic(), dataset, examples, seed,
                        baselines, failure), "eval-producer");
                sender.start();
                curve.printHeader();
                curve.await(metrics, learner, failure, timeout, Curve::complete);
                sender.join();
                if (failure.get() != null) {
                    throw failure.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                curve.printSummary(seconds);
                try (EvalStream.Examples test = dataset.test()) {
                    if (test != null) {
                        new TestSetQueries(bootstrap, config, learner, timeout)
                                .run(producer, test, dataset.features(), examples, baselines).print(out);
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Streams every example to both models, keyed by model id, stamped 1 ms apart and ending now,
     * and teaches the baselines of the test set every label.
     */
    private static void send(KafkaProducer<String, String> producer, String topic, EvalStream dataset,
                             long examples, long seed, TestSetQueries.Baselines baselines,
                             AtomicReference<Exception> failure) {
        try (EvalStream.Examples stream = dataset.training(examples, seed)) {
            double[] x = new double[dataset.features()];
            StringBuilder json = new StringBuilder();
            long time = System.currentTimeMillis() - examples;
            for (long i = 0; i < examples; i++) {
                int label = stream.next(x);
                if (label < 0) {
                    throw new IllegalStateException(dataset.optionName() + " ended after " + i + " examples");
                }
                String value = exampleJson(json, i, x, label);
                producer.send(new ProducerRecord<>(topic, null, time + i, NETWORK, value));
                producer.send(new ProducerRecord<>(topic, null, time + i, LOGISTIC, value));
                baselines.learn(label);
            }
            producer.flush();
        } catch (IOException | RuntimeException e) {
            failure.set(e);
        }
    }

    /** {@code {"id":"17","features":[...],"label":1}}, without the label when it is negative (a query). */
    static String exampleJson(StringBuilder json, long id, double[] x, int label) {
        json.setLength(0);
        json.append("{\"id\":\"").append(id).append("\",\"features\":[");
        for (int j = 0; j < x.length; j++) {
            json.append(j == 0 ? "" : ",").append(x[j]);
        }
        json.append(']');
        if (label >= 0) {
            json.append(",\"label\":").append(label);
        }
        return json.append('}').toString();
    }

    private static StreampropConfig learnerConfig(String bootstrap, String prefix, Path work, long every,
                                                  Long commitIntervalMs) {
        Map<String, String> s = new HashMap<>();
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "streamprop-eval");
        s.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
        if (commitIntervalMs != null) {
            s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(commitIntervalMs));
        }
        s.putAll(StreampropConfig.topicSettings(prefix));
        s.put(StreampropConfig.METRICS_EVERY, String.valueOf(every));
        // each line of the curve covers exactly the examples since the previous one
        s.put(StreampropConfig.METRICS_WINDOW, String.valueOf(every));
        // the learner's live page on a free port
        s.put(StreampropConfig.HTTP_PORT, "0");
        return StreampropConfig.of(s);
    }

    /** A spec from an option (JSON, or @FILE) or the default; it must suit the dataset. */
    private static String spec(Options options, String option, String fallback, EvalStream dataset)
            throws UsageException, IOException {
        String json = fallback;
        if (options.has(option)) {
            json = options.text(option);
            if (json.startsWith("@")) {
                json = Files.readString(Path.of(json.substring(1)), StandardCharsets.UTF_8);
            }
        }
        NetworkSpec network;
        try {
            network = ModelSpec.fromJson(json.getBytes(StandardCharsets.UTF_8)).network();
        } catch (InvalidSpecException e) {
            throw new UsageException("--" + option + ": " + e.getMessage());
        }
        if (network.inputs() != dataset.features()) {
            throw new UsageException("--" + option + ": the spec has " + network.inputs() + " inputs, "
                    + dataset.optionName() + " has " + dataset.features() + " features");
        }
        int classes = dataset.classes();
        boolean binary = classes == 2 && network.outputs() == 1 && network.loss() == Loss.BINARY_CROSS_ENTROPY;
        boolean softmax = network.outputs() == classes && network.loss() == Loss.CATEGORICAL_CROSS_ENTROPY;
        if (!binary && !softmax) {
            throw new UsageException("--" + option + ": the labels are classes 0 " + (classes == 2
                    ? "and 1; expected one sigmoid output with binary_cross_entropy or two softmax outputs"
                    : "to " + (classes - 1) + "; expected " + classes + " softmax outputs")
                    + " with categorical_cross_entropy");
        }
        return JSON.readTree(json).toString();
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> metricsReader(String bootstrap, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    /**
     * The two models' metrics records as they arrive: prints a line of the curve once both have
     * reached a point, and the final table at the end.
     */
    static final class Curve {
        private final long every;
        private final long last;
        private final PrintStream out;
        private final Map<String, Map<Long, JsonNode>> cadence = new HashMap<>();
        private int created;
        private long printed;

        Curve(long every, long last, PrintStream out) {
            this.every = every;
            this.last = last;
            this.out = out;
        }

        int created() {
            return created;
        }

        boolean complete() {
            return printed >= last;
        }

        /**
         * Reads metrics records until {@code done}; fails when the learner or the producer fails,
         * or no record arrives within {@code timeout}.
         */
        void await(KafkaConsumer<String, String> consumer, LearnerApp learner, AtomicReference<Exception> failure,
                   Duration timeout, Predicate<Curve> done) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(this)) {
                if (failure.get() != null) {
                    throw failure.get();
                }
                KafkaStreams.State state = learner.streams().state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException("the learner stopped (" + state + "); see its log");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no metrics from the learner for " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    take(JSON.readTree(r.value()));
                    deadline = System.nanoTime() + timeout.toNanos();
                }
            }
        }

        private void take(JsonNode record) {
            String model = record.get("model").asText();
            String trigger = record.get("trigger").asText();
            if (trigger.equals("snapshot") && record.get("examples").asLong() == 0) {
                created++;
            } else if (trigger.equals("cadence")) {
                cadence.computeIfAbsent(model, m -> new HashMap<>()).put(record.get("examples").asLong(), record);
            }
            while (printed < last && reached(NETWORK, printed + every) && reached(LOGISTIC, printed + every)) {
                printed += every;
                printLine(printed);
            }
        }

        private boolean reached(String model, long examples) {
            return cadence.getOrDefault(model, Map.of()).containsKey(examples);
        }

        void printHeader() {
            out.printf("%nPrequential accuracy over each block of %,d examples:%n", every);
            out.printf("%12s %9s %9s %9s %9s%n", "examples", NETWORK, LOGISTIC, "majority", "no-change");
        }

        private void printLine(long examples) {
            JsonNode network = cadence.get(NETWORK).get(examples).get("scores");
            JsonNode logistic = cadence.get(LOGISTIC).get(examples).get("scores");
            out.printf("%,12d %9s %9s %9s %9s%n", examples, number(network, "model", "sliding", "accuracy"),
                    number(logistic, "model", "sliding", "accuracy"),
                    number(network, "majorityClass", "sliding", "accuracy"),
                    number(network, "noChange", "sliding", "accuracy"));
        }

        void printSummary(double seconds) {
            JsonNode network = cadence.get(NETWORK).get(last);
            JsonNode logistic = cadence.get(LOGISTIC).get(last);
            out.printf("%nOver all %,d examples (prequential, cumulative):%n", last);
            out.printf("%-22s %9s %9s %9s %7s%n", "", "accuracy", "kappa", "log loss", "alarms");
            row("network", network.get("scores"), "model", network.get("driftAlarms").asText());
            row("logistic regression", logistic.get("scores"), "model", logistic.get("driftAlarms").asText());
            row("majority class", network.get("scores"), "majorityClass", "");
            row("no-change", network.get("scores"), "noChange", "");
            double net = network.get("scores").get("model").get("cumulative").get("accuracy").asDouble();
            double lr = logistic.get("scores").get("model").get("cumulative").get("accuracy").asDouble();
            JsonNode lift = network.get("lift").get("cumulative");
            out.printf("%nNetwork vs logistic regression: %+.4f accuracy; vs the best baseline (%s): %+.4f%n",
                    net - lr, lift.get("baseline").asText(), lift.get("accuracy").asDouble());
            out.printf("%,d examples to each model in %.1f s (%,.0f examples/s per model)%n", last, seconds,
                    last / seconds);
        }

        private void row(String name, JsonNode scores, String predictor, String alarms) {
            out.printf("%-22s %9s %9s %9s %7s%n", name, number(scores, predictor, "cumulative", "accuracy"),
                    number(scores, predictor, "cumulative", "kappa"), number(scores, predictor, "cumulative", "logLoss"),
                    alarms);
        }

        private static String number(JsonNode scores, String predictor, String window, String field) {
            JsonNode value = scores.get(predictor).get(window).get(field);
            if (value == null || value.isNull()) {
                return "-";
            }
            // no "-0.0000" for a kappa a hair below zero
            double v = Math.abs(value.asDouble()) < 0.00005 ? 0.0 : value.asDouble();
            return String.format("%.4f", v);
        }
    }
}
