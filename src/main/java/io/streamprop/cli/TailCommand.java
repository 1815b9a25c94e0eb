package io.streamprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * {@code streamprop tail predictions|snapshots|dead-letters|metrics}: prints the committed
 * records of an output topic as they come, one readable line each, until a limit or Ctrl-C.
 */
final class TailCommand implements Command {
    private static final String MODEL = "model";
    private static final String FROM_BEGINNING = "from-beginning";
    private static final String MAX = "max";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long CLOSE_WAIT_SECONDS = 10;

    /** The topics that can be followed, by the name given on the command line. */
    private enum Kind {
        PREDICTIONS(TailCommand::prediction),
        SNAPSHOTS(TailCommand::snapshot),
        DEAD_LETTERS(TailCommand::deadLetter),
        METRICS(TailCommand::metrics);

        final Function<ConsumerRecord<byte[], byte[]>, String> line;

        Kind(Function<ConsumerRecord<byte[], byte[]>, String> line) {
            this.line = line;
        }

        String argument() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        String topic(KafkaConnection connection) {
            return switch (this) {
                case PREDICTIONS -> connection.config().predictionsTopic();
                case SNAPSHOTS -> connection.config().snapshotsTopic();
                case DEAD_LETTERS -> connection.config().deadLettersTopic();
                case METRICS -> connection.config().metricsTopic();
            };
        }
    }

    @Override
    public String name() {
        return "tail";
    }

    @Override
    public String summary() {
        return "print predictions, snapshots, dead letters or metrics as they come, one line each";
    }

    @Override
    public String usage() {
        return "Usage: streamprop tail predictions|snapshots|dead-letters|metrics [--model ID] [--from-beginning]\n"
                + "                       [--max N] [--timeout-seconds S] [--bootstrap-servers HOST:PORT]\n"
                + "                       [--config FILE]\n\n"
                + "Follows an output topic with read_committed, outside any consumer group, and prints one line\n"
                + "per record:\n"
                + "  predictions   model, example id, version, predicted class (or output), label, loss, origin\n"
                + "  snapshots     model, version, examples seen, size, time\n"
                + "  dead-letters  reason, origin, key, message\n"
                + "  metrics       model, version, examples scored, trigger, then for a classifier its accuracy,\n"
                + "                kappa and log loss over the whole stream, its accuracy over the sliding\n"
                + "                window, the baselines' accuracy and the lift over the best of them (for a\n"
                + "                regression model MAE and RMSE, and the running mean's), drift alarms, time\n"
                + "where origin is the input record's topic-partition@offset. Stops after --max records,\n"
                + "after --timeout-seconds, or on Ctrl-C.\n\n"
                + Options.help("--model ID", "only the records of model ID")
                + Options.help("--from-beginning", "start at the oldest record kept (default: new records only)")
                + Options.help("--max N", "stop after N records")
                + Options.help("--timeout-seconds S", "stop after S seconds (default: run until stopped)")
                + Options.help("--bootstrap-servers HOST:PORT", "the cluster; required unless --config sets\n"
                        + "bootstrap.servers")
                + Options.help("--config FILE", "a properties file like ops/learner.properties: its client\n"
                        + "settings (security included) and streamprop.topic.* names apply");
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Set<String> valued = new HashSet<>(KafkaConnection.OPTIONS);
        valued.addAll(Set.of(MODEL, MAX));
        Options options = Options.parse(args, valued, Set.of(FROM_BEGINNING));
        Kind kind = kind(options.expectPositional("predictions|snapshots|dead-letters|metrics").get(0));
        long max = options.longValue(MAX, Long.MAX_VALUE, 1);
        long seconds = options.longValue(KafkaConnection.TIMEOUT_SECONDS, 0, 1);
        KafkaConnection connection = KafkaConnection.from(options, KafkaConnection.DEFAULT_TIMEOUT);
        String topic = kind.topic(connection);
        String model = options.has(MODEL) ? options.text(MODEL) : null;
        byte[] modelKey = model == null ? null : model.getBytes(StandardCharsets.UTF_8);

        CountDownLatch finished = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = connection.consumer()) {
            List<TopicPartition> partitions = TopicScan.partitions(connection, consumer, topic);
            if (model != null) {
                // the learner writes a model's records to the partition of its key
                partitions = List.of(partitions.get(TopicScan.partitionOf(model, partitions.size())));
            }
            start(connection, consumer, partitions, options.has(FROM_BEGINNING));
            Thread stopper = new Thread(() -> stopOnShutdown(consumer, finished), "streamprop-tail-shutdown");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                follow(consumer, kind, modelKey, max, seconds, out);
            } catch (WakeupException e) {
                // stopped by Ctrl-C or SIGTERM
            } catch (TimeoutException e) {
                throw connection.unanswered("read " + topic, e);
            } finally {
                removeHook(stopper);
            }
        } finally {
            finished.countDown();
        }
        return 0;
    }

    private static void start(KafkaConnection connection, KafkaConsumer<byte[], byte[]> consumer,
                              List<TopicPartition> partitions, boolean fromBeginning) throws CommandFailure {
        try {
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // fix the starting positions now, so that what comes after this point is printed
            partitions.forEach(consumer::position);
        } catch (TimeoutException e) {
            throw connection.unanswered("find the end of " + partitions.get(0).topic(), e);
        }
    }

    private static void follow(KafkaConsumer<byte[], byte[]> consumer, Kind kind, byte[] modelKey, long max,
                               long seconds, PrintStream out) {
        long deadline = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long printed = 0;
        while (printed < max) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Duration wait = Duration.ofNanos(Math.min(left, POLL.toNanos()));
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
                if (modelKey != null && !Arrays.equals(modelKey, record.key())) {
                    continue;
                }
                out.println(kind.line.apply(record));
                if (++printed == max) {
                    break;
                }
            }
            out.flush();
        }
    }

    private static void stopOnShutdown(KafkaConsumer<byte[], byte[]> consumer, CountDownLatch finished) {
        consumer.wakeup();
        try {
            finished.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down, and the hook is stopping this command
        }
    }

    private static Kind kind(String argument) throws UsageException {
        for (Kind kind : Kind.values()) {
            if (kind.argument().equals(argument)) {
                return kind;
            }
        }
        throw new UsageException("cannot tail '" + argument + "', expected predictions, snapshots, dead-letters or"
                + " metrics");
    }

    /**
     * {@code model=m id=e-17 version=12 class=1 label=1 loss=0.0712 origin=streamprop.examples-0@42},
     * with {@code className=cat} after the class when the model's classes have names.
     */
    static String prediction(ConsumerRecord<byte[], byte[]> record) {
        JsonNode p = parse(record);
        if (p == null) {
            return unreadable(record);
        }
        StringBuilder line = new StringBuilder("model=").append(p.path("model").asText());
        if (p.has("id")) {
            line.append(" id=").append(p.get("id").asText());
        }
        line.append(" version=").append(p.path("version").asText());
        if (p.has("class")) {
            line.append(" class=").append(p.get("class").asText());
            if (p.has("className")) {
                line.append(" className=").append(p.get("className").asText());
            }
        } else {
            line.append(" output=").append(numbers(p.path("output")));
        }
        if (p.has("label")) {
            line.append(" label=").append(numbers(p.get("label")));
        }
        if (p.has("loss")) {
            line.append(" loss=").append(numbers(p.get("loss")));
        }
        return line.append(" origin=").append(origin(p)).toString();
    }

    /** {@code model=m version=1000 examplesSeen=4000 size=12345B time=...}, or a deletion. */
    static String snapshot(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? "?" : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            return "model=" + key + " deleted";
        }
        try {
            SnapshotSummary s = SnapshotSummary.read(record.value());
            return "model=" + key + " version=" + s.version() + " examplesSeen=" + s.examplesSeen() + " layers="
                    + s.shape() + " size=" + s.sizeBytes() + "B time=" + s.time();
        } catch (IllegalArgumentException e) {
            return unreadable(record);
        }
    }

    /** {@code reason=not_json origin=streamprop.examples-0@42 key=m message=...}. */
    static String deadLetter(ConsumerRecord<byte[], byte[]> record) {
        JsonNode d = parse(record);
        if (d == null) {
            return unreadable(record);
        }
        return "reason=" + d.path("reason").asText() + " origin=" + origin(d) + " key="
                + (d.path("key").isNull() ? "(none)" : d.path("key").asText()) + " message=" + d.path("message").asText();
    }

    /**
     * A classifier's {@code model=m version=312 examples=10000 trigger=cadence accuracy=0.91
     * kappa=0.81 logLoss=0.23 slidingAccuracy=0.92 majorityClass=0.62 noChange=0.53 lift=0.29
     * bestBaseline=majorityClass driftAlarms=0 time=...}: the model's scores and the baselines'
     * accuracy over the whole stream, lift and best baseline by accuracy; a regression model's
     * {@code mae=... rmse=... slidingMae=... runningMeanMae=... liftMae=...}. The record of a drift
     * alarm adds {@code drift=page_hinkley statistic=... threshold=... meanLoss=... reaction=...}.
     */
    static String metrics(ConsumerRecord<byte[], byte[]> record) {
        JsonNode m = parse(record);
        if (m == null || !m.path("scores").isObject()) {
            return unreadable(record);
        }
        StringBuilder line = new StringBuilder("model=").append(m.path("model").asText())
                .append(" version=").append(m.path("version").asText())
                .append(" examples=").append(m.path("examples").asText())
                .append(" trigger=").append(m.path("trigger").asText());
        JsonNode scores = m.get("scores");
        JsonNode lift = m.path("lift").path("cumulative");
        if (m.path("task").asText().equals("regression")) {
            JsonNode model = scores.path("model");
            line.append(" mae=").append(score(model.path("cumulative").path("mae")))
                    .append(" rmse=").append(score(model.path("cumulative").path("rmse")))
                    .append(" slidingMae=").append(score(model.path("sliding").path("mae")))
                    .append(" runningMeanMae=").append(score(scores.path("runningMean").path("cumulative").path("mae")))
                    .append(" liftMae=").append(score(lift.path("mae")));
        } else {
            JsonNode model = scores.path("model");
            line.append(" accuracy=").append(score(model.path("cumulative").path("accuracy")))
                    .append(" kappa=").append(score(model.path("cumulative").path("kappa")))
                    .append(" logLoss=").append(score(model.path("cumulative").path("logLoss")))
                    .append(" slidingAccuracy=").append(score(model.path("sliding").path("accuracy")))
                    .append(" majorityClass=")
                    .append(score(scores.path("majorityClass").path("cumulative").path("accuracy")))
                    .append(" noChange=").append(score(scores.path("noChange").path("cumulative").path("accuracy")))
                    .append(" lift=").append(score(lift.path("accuracy")))
                    .append(" bestBaseline=").append(lift.path("baseline").asText("-"));
        }
        line.append(" driftAlarms=").append(m.path("driftAlarms").asText());
        JsonNode drift = m.get("drift");
        if (drift != null) {
            line.append(" drift=").append(drift.path("detector").asText())
                    .append(" statistic=").append(score(drift.path("statistic")))
                    .append(" threshold=").append(score(drift.path("threshold")))
                    .append(" meanLoss=").append(score(drift.path("meanLoss")))
                    .append(" reaction=").append(drift.path("reaction").asText());
        }
        return line.append(" time=").append(m.path("time").asText()).toString();
    }

    /** A score with 4 significant digits; "-" when it is undefined (null) or missing. */
    private static String score(JsonNode value) {
        return value.isNumber() ? numbers(value) : "-";
    }

    private static String origin(JsonNode record) {
        return record.path("topic").asText() + "-" + record.path("partition").asText() + "@"
                + record.path("offset").asText();
    }

    /** A number with 4 significant digits, or an array of them. */
    private static String numbers(JsonNode node) {
        if (node.isArray()) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                text.append(i == 0 ? "" : ",").append(numbers(node.get(i)));
            }
            return text.append(']').toString();
        }
        if (!node.isNumber()) {
            return node.asText();
        }
        double value = node.doubleValue();
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        return magnitude >= 1e-4 && magnitude < 1e7 ? rounded.toPlainString() : rounded.toString();
    }

    private static JsonNode parse(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(record.value());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String unreadable(ConsumerRecord<byte[], byte[]> record) {
        String value = record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8);
        return "unreadable record at " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": "
                + (value.length() > 200 ? value.substring(0, 200) + "..." : value);
    }
}
