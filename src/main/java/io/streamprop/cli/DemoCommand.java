package io.streamprop.cli;

import io.streamprop.data.DatasetException;
import io.streamprop.data.ExampleSource;
import io.streamprop.data.GeneratedSource;
import io.streamprop.data.Generators;
import io.streamprop.data.Skipped;
import io.streamprop.nn.Activation;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.nn.OptimizerSpec;
import io.streamprop.serde.ParsedExample;
import io.streamprop.topology.ModelSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code streamprop demo}: the whole of Streamprop in one process, with nothing to install. It
 * starts an embedded Kafka broker, creates the topics, starts a learner, creates a model and
 * streams a dataset to it through Kafka, while it follows the learner's committed predictions
 * and prints how well the model predicts each example before learning from it. By default the
 * dataset is the built-in drifting spirals; {@code --data fashion-mnist} trains on Fashion-MNIST
 * and then measures the model on the test images, sent as queries.
 */
final class DemoCommand implements Command {
    static final String FASHION_MNIST = FashionMnist.NAME;
    static final int WINDOW = 1000;
    static final long DEFAULT_SPIRAL_COUNT = 100_000;
    static final String DEFAULT_SPIRAL_RATE = "2000/s";
    /**
     * The spirals learner commits five times a second, so that the progress, read from the
     * committed predictions, is fresh. Under exactly-once each commit waits for every output to
     * be acknowledged; for the small spiral network that wait is cheap.
     */
    static final long SPIRAL_COMMIT_INTERVAL_MS = 200;

    private static final long ROW_EVERY_NANOS = 2_000_000_000L;
    /** How long the demo waits for the next prediction before it gives up on the learner. */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "watch a network learn through Kafka, with nothing to install (embedded broker and learner)";
    }

    @Override
    public String usage() {
        return "Usage: streamprop demo [--count N] [--rate N/s] [--seed S]\n"
                + "       streamprop demo --data fashion-mnist [--data-dir DIR] [--count N] [--rate N/s] [--seed S]\n\n"
                + "Starts a Kafka broker in this process, creates Streamprop's topics, starts a learner and\n"
                + "creates a model, then streams examples to it through Kafka. Every example is predicted\n"
                + "before it is learned from; the demo reads the committed predictions and prints, every few\n"
                + "seconds, the examples per second, the accuracy and loss over the last " + String.format("%,d", WINDOW)
                + " examples\nand over all of them, and the model version (updates applied). A summary ends the\n"
                + "run, and everything is stopped and deleted, also on Ctrl-C.\n\n"
                + "Without --data the stream is three spiral arms that drift: the picture turns a full turn\n"
                + "every " + String.format("%,d", Generators.DRIFT_ROTATION_PERIOD) + " examples and each class moves"
                + " to the next arm every " + String.format("%,d", Generators.DRIFT_SHIFT_EVERY) + ",\nso accuracy"
                + " dips and recovers as the network keeps up. The model is 2-32-32-3 (tanh, softmax).\n\n"
                + "With --data fashion-mnist it trains a 784-256-10 network (tanh, softmax, Adam) on the 60,000\n"
                + "training images, then sends the 10,000 test images as queries and reports the accuracy\n"
                + "on them. The files come from Debian's dataset-fashion-mnist package (apt-get install\n"
                + "dataset-fashion-mnist) or any directory holding the four IDX files, plain or .gz.\n\n"
                + "  --count N       examples to stream (default " + String.format("%,d", DEFAULT_SPIRAL_COUNT)
                + "; with --data: all the training images)\n"
                + "  --rate N/s      at most N examples per second; 0: no limit (default " + DEFAULT_SPIRAL_RATE
                + "; with --data: 0)\n"
                + "  --seed S        seed of the stream and the initial weights (default 1)\n"
                + "  --data NAME     a real dataset instead: " + FASHION_MNIST + "\n"
                + "  --data-dir DIR  where its files are (default " + FashionMnist.DEBIAN_DIR + ")\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        return run(args, out, System.err);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options options = Options.parse(args, Set.of("count", "rate", "seed", "data", "data-dir"), Set.of());
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        if (options.has("data") && !options.text("data").equals(FASHION_MNIST)) {
            throw new UsageException("--data knows only " + FASHION_MNIST + ", got '" + options.text("data") + "'");
        }
        if (options.has("data-dir") && !options.has("data")) {
            throw new UsageException("--data-dir goes with --data " + FASHION_MNIST);
        }
        long seed = options.longValue("seed", 1, Long.MIN_VALUE);
        Plan plan;
        try {
            plan = options.has("data")
                    ? fashionPlan(options.has("data-dir") ? Path.of(options.text("data-dir")) : FashionMnist.DEBIAN_DIR,
                    options.longValue("count", Long.MAX_VALUE, 1), seed)
                    : spiralPlan(options.longValue("count", DEFAULT_SPIRAL_COUNT, 1), seed);
        } catch (DatasetException e) {
            err.println("streamprop demo: " + e.getMessage());
            return 1;
        }
        Rate rate = Rate.parse("rate", options.has("rate") ? options.text("rate") : plan.defaultRate());
        try (StopSignal stop = new StopSignal(name())) {
            return new DemoRun(plan, rate, out, stop).run();
        } catch (IllegalStateException | KafkaException | DatasetProducer.SendFailedException | IOException e) {
            err.println("streamprop demo: " + e.getMessage());
            return 1;
        }
    }

    /**
     * What a demo streams and how it is judged.
     *
     * @param training the labelled examples, opened when the demo streams them
     * @param test the test examples sent as queries afterwards, or null for none
     * @param driftEvery examples between drifts of the concept, to mark them; 0 for none
     * @param commitIntervalMs the learner's commit interval
     */
    record Plan(String model, ModelSpec spec, String description, SourceOpener training, SourceOpener test,
                long driftEvery, String defaultRate, long commitIntervalMs) {
    }

    /** Opens a source when it is needed, so that a file stays closed until then. */
    interface SourceOpener {
        ExampleSource open() throws IOException;
    }

    static Plan spiralPlan(long count, long seed) {
        NetworkSpec network = NetworkSpec.builder(2, 32, 32, 3).hiddenActivation(Activation.TANH).multiClassifier()
                .optimizer(OptimizerSpec.adam(0.02)).batchSize(16).seed(seed).build();
        return new Plan("spirals", new ModelSpec(network, 1000, false),
                String.format("%,d examples of %s", count, Generators.driftingSpirals(seed).description()),
                () -> new GeneratedSource(Generators.driftingSpirals(seed), count), null,
                Generators.DRIFT_SHIFT_EVERY, DEFAULT_SPIRAL_RATE, SPIRAL_COMMIT_INTERVAL_MS);
    }

    static Plan fashionPlan(Path dir, long count, long seed) throws IOException {
        FashionMnist data = FashionMnist.in(dir);
        long used = Math.min(count, data.defaultExamples());
        return new Plan(FASHION_MNIST, new ModelSpec(data.network(seed), 500, false),
                String.format("%,d Fashion-MNIST training images from %s", used, dir),
                () -> new LimitedSource(data.openTraining(), used), data::openTest, 0, "0",
                FashionMnist.COMMIT_INTERVAL_MS);
    }

    /** Where the learner's live page and metrics are. */
    private static void printWebPage(PrintStream out, DemoCluster cluster) {
        cluster.learner().httpUrl().ifPresent(url ->
                out.printf("Watch the learning curves live at %s (metrics at %smetrics)%n", url, url));
    }

    /** One run of the demo: the cluster, the send and the follow-up of the predictions. */
    private static final class DemoRun {
        private final Plan plan;
        private final Rate rate;
        private final PrintStream out;
        private final StopSignal stop;
        private final long startNanos = System.nanoTime();

        DemoRun(Plan plan, Rate rate, PrintStream out, StopSignal stop) {
            this.plan = plan;
            this.rate = rate;
            this.out = out;
            this.stop = stop;
        }

        int run() throws Exception {
            out.println("Starting an embedded Kafka broker, the topics and a learner ...");
            Outcome outcome;
            try (DemoCluster cluster = DemoCluster.start(plan.commitIntervalMs())) {
                out.printf("Kafka broker at %s; learner running%n", cluster.bootstrapServers());
                printWebPage(out, cluster);
                cluster.createModel(plan.model(), plan.spec());
                out.printf("Model '%s': %s network, %,d parameters%n", plan.model(), plan.spec().network().layers(),
                        plan.spec().network().parameterCount());
                out.printf("Streaming %s (rate %s)%n%n", plan.description(), rate);
                outcome = stream(cluster);
                outcome = outcome.withDeadLetters(cluster.deadLetters());
                out.print(outcome.summary());
                out.println("Stopping the learner and the broker ...");
            }
            out.printf("Stopped; %.1f s in all%n", seconds(startNanos));
            return outcome.stopped() ? 130 : 0;
        }

        private Outcome stream(DemoCluster cluster) throws Exception {
            ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "demo-producer"));
            AtomicBoolean stopSending = new AtomicBoolean();
            try (DatasetProducer producer = new DatasetProducer(Map.of("bootstrap.servers", cluster.bootstrapServers()));
                 PredictionMonitor monitor = new PredictionMonitor(cluster.bootstrapServers(),
                         cluster.config().predictionsTopic(), plan.model(), WINDOW, DemoCluster.TIMEOUT)) {
                long streamStart = System.nanoTime();
                Phase training = new Phase(new DatasetProducer.Target(cluster.config().examplesTopic(), plan.model(),
                        true), plan.training(), rate);
                Future<DatasetProducer.Summary> sent = training.start(sender, producer, stopSending);
                DatasetProducer.Summary trained = follow(training, sent, monitor, cluster, stopSending,
                        () -> monitor.score().count(), true);
                Outcome outcome = new Outcome(trained, monitor.score(), monitor.version(), seconds(streamStart), -1, 0,
                        0, trained.stopped() || stop.requested());
                if (plan.test() == null || outcome.stopped()) {
                    return outcome;
                }
                out.println();
                out.println("Sending the test images as queries (predicted, never learned from) ...");
                Phase test = new Phase(new DatasetProducer.Target(cluster.config().queriesTopic(), plan.model(),
                        false), plan.test(), Rate.UNLIMITED);
                Future<DatasetProducer.Summary> queries = test.start(sender, producer, stopSending);
                DatasetProducer.Summary tested = follow(test, queries, monitor, cluster, stopSending,
                        () -> monitor.queryClasses().size(), false);
                long right = test.labels().entrySet().stream()
                        .filter(e -> e.getValue().equals(monitor.queryClasses().get(e.getKey()))).count();
                return new Outcome(trained, monitor.score(), monitor.version(), seconds(streamStart),
                        monitor.queryClasses().size(), right, 0, tested.stopped() || stop.requested());
            } finally {
                stopSending.set(true);
                sender.shutdown();
            }
        }

        /**
         * Prints progress until every record sent has its committed prediction, or a stop is
         * asked for; returns what the send did.
         */
        private DatasetProducer.Summary follow(Phase phase, Future<DatasetProducer.Summary> sending,
                                               PredictionMonitor monitor, DemoCluster cluster, AtomicBoolean stopSending,
                                               java.util.function.LongSupplier predicted, boolean rows)
                throws Exception {
            if (rows) {
                out.printf("%8s %10s %11s   %-20s   %-20s %8s%n", "", "", "", "last " + String.format("%,d", WINDOW)
                        + " examples", "all examples", "");
                out.printf("%8s %10s %11s   %9s %10s   %9s %10s %8s%n", "elapsed", "examples", "examples/s",
                        "accuracy", "loss", "accuracy", "loss", "version");
            }
            long phaseStart = System.nanoTime();
            long lastRow = phaseStart;
            long lastCount = predicted.getAsLong();
            long lastChange = phaseStart;
            long countAtLastRow = lastCount;
            DatasetProducer.Summary summary = null;
            while (true) {
                monitor.poll(POLL);
                long count = predicted.getAsLong();
                long now = System.nanoTime();
                if (count != lastCount) {
                    lastCount = count;
                    lastChange = now;
                }
                if (summary == null && sending.isDone()) {
                    summary = result(sending);
                }
                boolean done = summary != null && count >= summary.sent();
                if (stop.requested() && !stopSending.get()) {
                    stopSending.set(true);
                    out.println("Stopping (Ctrl-C) ...");
                }
                if (rows && (now - lastRow >= ROW_EVERY_NANOS || done || (summary != null && stopSending.get()))) {
                    printRow(monitor, (now - phaseStart) / 1e9, (count - countAtLastRow) / ((now - lastRow) / 1e9),
                            countAtLastRow, count);
                    lastRow = now;
                    countAtLastRow = count;
                }
                if (done || (summary != null && stopSending.get())) {
                    return summary;
                }
                checkLearner(cluster, now - lastChange, count, phase.handed().get());
            }
        }

        private void printRow(PredictionMonitor monitor, double elapsed, double perSecond, long before, long count) {
            PrequentialScore score = monitor.score();
            if (score.count() == 0) {
                out.printf("%6.1f s %,10d %11s   %9s %10s   %9s %10s %8s%n", elapsed, 0, "-", "-", "-", "-", "-", "-");
                return;
            }
            String drift = driftBetween(before, count) ? "   <- drift: the classes moved to the next arm" : "";
            out.printf("%6.1f s %,10d %,11.0f   %8.1f%% %10.4f   %8.1f%% %10.4f %,8d%s%n", elapsed, score.count(),
                    perSecond, 100 * score.recentAccuracy(), score.recentLoss(), 100 * score.accuracy(), score.loss(),
                    monitor.version(), drift);
        }

        /** Whether one of the examples from index {@code from} to {@code to} (exclusive) starts a drift. */
        private boolean driftBetween(long from, long to) {
            long every = plan.driftEvery();
            if (every <= 0) {
                return false;
            }
            long next = Math.max(1, (from + every - 1) / every) * every;
            return next < to;
        }

        private static DatasetProducer.Summary result(Future<DatasetProducer.Summary> sending) throws Exception {
            try {
                return sending.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
        }

        private static void checkLearner(DemoCluster cluster, long quietNanos, long predicted, long sent) {
            KafkaStreams.State state = cluster.learner().streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("the demo's learner stopped (state " + state + "); see the log above");
            }
            if (predicted < sent && quietNanos > STALL.toNanos()) {
                throw new IllegalStateException("the learner has made no prediction for " + STALL.toSeconds()
                        + " s, with " + predicted + " of " + sent + " examples predicted; see the log above");
            }
        }
    }

    /** One send of the demo: its target, its source, and the labels of what it sent, by id. */
    private static final class Phase {
        private final DatasetProducer.Target target;
        private final SourceOpener opener;
        private final Rate rate;
        private final AtomicLong handed = new AtomicLong();
        private final Map<String, Integer> labels = new HashMap<>();

        Phase(DatasetProducer.Target target, SourceOpener opener, Rate rate) {
            this.target = target;
            this.opener = opener;
            this.rate = rate;
        }

        AtomicLong handed() {
            return handed;
        }

        /** The labels of the records sent without them, by id; complete once the send is done. */
        Map<String, Integer> labels() {
            return labels;
        }

        Future<DatasetProducer.Summary> start(ExecutorService sender, DatasetProducer producer, AtomicBoolean stop) {
            return sender.submit(() -> {
                try (ExampleSource source = opener.open()) {
                    ExampleSource recorded = target.withLabels() ? source : new LabelRecorder(source, labels);
                    return producer.send(recorded, target, rate, Long.MAX_VALUE, new DatasetProducer.Listener() {
                        @Override
                        public void skipped(Skipped record) {
                            // the demo's sources have no bad records
                        }

                        @Override
                        public void progress(long sent, long skipped) {
                            handed.set(sent);
                        }
                    }, stop::get);
                }
            });
        }
    }

    /** Passes another source's examples through, noting each one's class label by id. */
    private static final class LabelRecorder implements ExampleSource {
        private final ExampleSource source;
        private final Map<String, Integer> labels;

        LabelRecorder(ExampleSource source, Map<String, Integer> labels) {
            this.source = source;
            this.labels = labels;
        }

        @Override
        public ParsedExample next(Consumer<Skipped> skipped) throws IOException {
            ParsedExample example = source.next(skipped);
            if (example != null) {
                labels.put(example.id(), (int) example.label().scalar());
            }
            return example;
        }

        @Override
        public String description() {
            return source.description();
        }
    }

    /** The first {@code limit} examples of another source. */
    private static final class LimitedSource implements ExampleSource {
        private final ExampleSource source;
        private final long limit;
        private long given;

        LimitedSource(ExampleSource source, long limit) {
            this.source = source;
            this.limit = limit;
        }

        @Override
        public ParsedExample next(Consumer<Skipped> skipped) throws IOException {
            return given++ < limit ? source.next(skipped) : null;
        }

        @Override
        public long size() {
            return Math.min(limit, source.size());
        }

        @Override
        public String description() {
            return source.description();
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    /** How a demo went, for its summary. */
    private record Outcome(DatasetProducer.Summary sent, PrequentialScore score, long version, double seconds,
                           long tested, long testedRight, long deadLetters, boolean stopped) {
        Outcome withDeadLetters(long count) {
            return new Outcome(sent, score, version, seconds, tested, testedRight, count, stopped);
        }

        String summary() {
            StringBuilder text = new StringBuilder(String.format("%nSummary%s%n", stopped ? " (stopped early)" : ""))
                    .append(String.format("  examples:      %,d sent, %,d predicted%n", sent.sent(), score.count()))
                    .append(String.format("  accuracy:      %.1f%% over the last %,d examples, %.1f%% over all"
                                    + " (each predicted before it was learned from)%n", 100 * score.recentAccuracy(),
                            score.windowCount(), 100 * score.accuracy()))
                    .append(String.format("  loss:          %.4f over the last %,d examples, %.4f over all%n",
                            score.recentLoss(), score.windowCount(), score.loss()))
                    .append(String.format("  updates:       %,d (the model version of the last prediction)%n", version));
            if (tested >= 0) {
                text.append(String.format("  test accuracy: %.2f%% on %,d test images never trained on%n",
                        tested == 0 ? 0 : 100.0 * testedRight / tested, tested));
            }
            return text.append(String.format("  dead letters:  %,d%n", deadLetters))
                    .append(String.format("  elapsed:       %.1f s streaming (%,.0f examples/s)%n", seconds,
                            score.count() / seconds))
                    .toString();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
