package io.streamprop.cli;

import io.streamprop.data.CsvSource;
import io.streamprop.data.DatasetException;
import io.streamprop.data.ExampleSource;
import io.streamprop.data.GeneratedSource;
import io.streamprop.data.Generators;
import io.streamprop.data.IdxSource;
import io.streamprop.data.JsonLinesSource;
import io.streamprop.data.ShuffledSource;
import io.streamprop.data.Skipped;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

/**
 * {@code streamprop produce}: streams a dataset to the examples or queries topic, keyed by the
 * model id, with a rate limit, an optional seeded shuffle, progress on the error stream and a
 * summary at the end.
 */
final class ProduceCommand implements Command {
    /** Bad records printed one by one; the rest are only counted. */
    static final int SKIPS_SHOWN = 20;
    static final long DEFAULT_GENERATED = 10_000;

    private static final Set<String> VALUED = Set.of("model", "csv", "label", "jsonl", "idx", "generator", "count",
            "topic", "rate", "seed", "limit", "bootstrap-servers", "config");
    private static final Set<String> FLAGS = Set.of("shuffle");

    @Override
    public String name() {
        return "produce";
    }

    @Override
    public String summary() {
        return "stream a dataset (CSV, JSON lines, IDX images, a generator) to the examples or queries topic";
    }

    @Override
    public String usage() {
        return "Usage: streamprop produce --model ID SOURCE [--topic examples|queries] [--rate N/s]\n"
                + "                          [--shuffle] [--seed S] [--limit N]\n"
                + "                          (--bootstrap-servers HOST:PORT | --config FILE)\n\n"
                + "Sends each example of SOURCE as {\"id\": ..., \"features\": [...], \"label\": ...}, keyed by the\n"
                + "model id, with an idempotent producer. Queries are sent without their labels. Bad records\n"
                + "are reported with their line and skipped; a summary ends the run. Exit code 1 when the\n"
                + "cluster refuses the records or the dataset cannot be read, 2 for wrong arguments.\n\n"
                + "SOURCE is one of:\n"
                + "  --csv FILE --label COLUMN  a CSV file with a header row; COLUMN holds the label (a\n"
                + "                             number or class index), every other column a numeric feature\n"
                + "  --jsonl FILE               one example per line, in the examples topic's format\n"
                + "  --idx IMAGES LABELS        IDX files of MNIST or Fashion-MNIST (plain or .gz); pixels\n"
                + "                             are scaled to [0, 1]\n"
                + "  --generator NAME           a built-in stream: " + String.join(", ", Generators.names()) + "\n"
                + "    [--count N]              examples to generate (default " + DEFAULT_GENERATED + ")\n\n"
                + "Options:\n"
                + "  --model ID                 the model the examples are for (required; the record key)\n"
                + "  --topic examples|queries   where to send them (default examples)\n"
                + "  --rate N/s                 at most N records per second (default: no limit)\n"
                + "  --shuffle                  send in a random order (reads the whole dataset first)\n"
                + "  --seed S                   seed of the shuffle and the generator (default 1)\n"
                + "  --limit N                  send at most N records\n"
                + "  --bootstrap-servers H:P    the cluster\n"
                + "  --config FILE              producer settings (security, bootstrap.servers, ...); a\n"
                + "                             learner's config file works too, and its\n"
                + "                             streamprop.topic.* names are used\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        return run(args, out, System.err);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options options = Options.parse(args, VALUED, FLAGS);
        ProduceRequest request = request(options);
        try (StopSignal stop = new StopSignal(name());
             ExampleSource source = openSource(options);
             DatasetProducer producer = new DatasetProducer(request.clientProperties())) {
            ExampleSource ordered = options.has("shuffle") ? new ShuffledSource(source, request.seed()) : source;
            long total = source.size() < 0 ? -1 : Math.min(source.size(), request.limit());
            ProgressLine progress = new ProgressLine(err, ProgressLine.stderrIsTerminal(), total);
            err.printf("Sending %s to %s (key '%s', rate %s)%n", ordered.description(), request.target().topic(),
                    request.target().model(), request.rate());
            DatasetProducer.Summary summary = producer.send(ordered, request.target(), request.rate(),
                    request.limit(), new ReportingListener(progress), stop::requested);
            progress.finish();
            out.print(summaryText(summary));
            return summary.stopped() ? 130 : 0;
        } catch (DatasetException | NoSuchFileException e) {
            err.println("streamprop produce: " + (e instanceof NoSuchFileException ? "no such file: " : "")
                    + e.getMessage());
            return 1;
        } catch (DatasetProducer.SendFailedException | KafkaException e) {
            err.println("streamprop produce: " + e.getMessage());
            return 1;
        }
    }

    /** The checked options: where to send, how fast, and the client settings. */
    record ProduceRequest(DatasetProducer.Target target, Rate rate, long limit, long seed,
                          Map<String, Object> clientProperties) {
    }

    static ProduceRequest request(Options options) throws UsageException {
        if (!options.has("model") || options.text("model").isBlank()) {
            throw new UsageException("--model ID is required");
        }
        List<String> sources = List.of("csv", "jsonl", "idx", "generator").stream().filter(options::has)
                .collect(Collectors.toList());
        if (sources.size() != 1) {
            throw new UsageException("give exactly one source of --csv, --jsonl, --idx and --generator, got "
                    + (sources.isEmpty() ? "none" : sources.stream().map(s -> "--" + s).collect(Collectors.joining(", "))));
        }
        int positional = options.has("idx") ? 1 : 0;
        if (options.positional().size() != positional) {
            throw new UsageException(options.has("idx") && options.positional().isEmpty()
                    ? "--idx needs two files: IMAGES LABELS" : "unexpected argument " + options.positional().get(positional));
        }
        if (options.has("csv") != options.has("label")) {
            throw new UsageException(options.has("csv") ? "--csv needs --label COLUMN" : "--label goes with --csv");
        }
        if (options.has("count") && !options.has("generator")) {
            throw new UsageException("--count goes with --generator; use --limit to send fewer records");
        }
        String topicName = options.has("topic") ? options.text("topic") : "examples";
        if (!topicName.equals("examples") && !topicName.equals("queries")) {
            throw new UsageException("--topic must be examples or queries, got '" + topicName + "'");
        }
        Properties file = options.has("config") ? readConfig(Path.of(options.text("config"))) : new Properties();
        if (options.has("bootstrap-servers")) {
            file.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.text("bootstrap-servers"));
        }
        if (!file.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new UsageException("give --bootstrap-servers HOST:PORT, or a --config FILE that sets bootstrap.servers");
        }
        StreampropConfig config;
        try {
            config = StreampropConfig.of(file);
        } catch (IllegalArgumentException e) {
            throw new UsageException(options.text("config") + ": " + e.getMessage());
        }
        Map<String, Object> client = new HashMap<>();
        file.stringPropertyNames().stream().filter(name -> !name.startsWith(StreampropConfig.PREFIX))
                .forEach(name -> client.put(name, file.getProperty(name)));
        boolean examples = topicName.equals("examples");
        DatasetProducer.Target target = new DatasetProducer.Target(
                examples ? config.examplesTopic() : config.queriesTopic(), options.text("model"), examples);
        Rate rate = options.has("rate") ? Rate.parse("rate", options.text("rate")) : Rate.UNLIMITED;
        return new ProduceRequest(target, rate, options.longValue("limit", Long.MAX_VALUE, 1),
                options.longValue("seed", 1, Long.MIN_VALUE), client);
    }

    private static Properties readConfig(Path file) throws UsageException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UsageException("cannot read the config file " + file + ": " + e.getMessage());
        }
        return properties;
    }

    private static ExampleSource openSource(Options options) throws IOException, UsageException {
        if (options.has("csv")) {
            return CsvSource.open(Path.of(options.text("csv")), options.text("label"));
        }
        if (options.has("jsonl")) {
            return JsonLinesSource.open(Path.of(options.text("jsonl")));
        }
        if (options.has("idx")) {
            return IdxSource.open(Path.of(options.text("idx")), Path.of(options.positional().get(0)));
        }
        long count = options.longValue("count", DEFAULT_GENERATED, 0);
        try {
            return new GeneratedSource(Generators.create(options.text("generator"),
                    options.longValue("seed", 1, Long.MIN_VALUE)), count);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static String summaryText(DatasetProducer.Summary summary) {
        StringBuilder text = new StringBuilder(summary.stopped() ? "Stopped early.\n" : "")
                .append(String.format("Sent:     %,d records to %s (key '%s')%n", summary.sent(),
                        summary.target().topic(), summary.target().model()))
                .append(String.format("Skipped:  %,d", summary.skippedTotal()));
        if (!summary.skipped().isEmpty()) {
            text.append(summary.skipped().entrySet().stream()
                    .map(e -> e.getKey() + ": " + String.format("%,d", e.getValue()))
                    .collect(Collectors.joining(", ", " (", ")")));
        }
        return text.append(String.format("%nBytes:    %,d (keys and values)%n", summary.bytes()))
                .append(String.format("Elapsed:  %.2f s%n", summary.seconds()))
                .append(String.format("Rate:     %,.0f records/s%n", summary.rate()))
                .toString();
    }

    /** Prints the first bad records and keeps the progress line up to date. */
    private static final class ReportingListener implements DatasetProducer.Listener {
        private final ProgressLine progress;
        private long skips;

        ReportingListener(ProgressLine progress) {
            this.progress = progress;
        }

        @Override
        public void skipped(Skipped record) {
            skips++;
            if (skips <= SKIPS_SHOWN) {
                progress.println("skipped " + record);
            } else if (skips == SKIPS_SHOWN + 1) {
                progress.println("more records skipped; the rest are only counted");
            }
        }

        @Override
        public void progress(long sent, long skipped) {
            progress.update(sent, skipped);
        }
    }
}
