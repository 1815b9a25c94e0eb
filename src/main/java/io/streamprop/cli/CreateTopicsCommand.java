package io.streamprop.cli;

import io.streamprop.topics.TopicCreationException;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.TopicDefinition;
import io.streamprop.topics.TopicFiles;
import io.streamprop.topics.TopicReport;
import io.streamprop.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;

/**
 * {@code create-topics}: creates Streamprop's missing topics on a cluster and checks the
 * existing ones. It runs on its own ({@link #main}, used by {@code ops/create-topics.sh}) and can
 * join the {@code streamprop} tool's commands.
 *
 * <p>Exit codes: 0 when every topic exists as defined, 3 when some existing topic differs from
 * its definition or the inputs are not co-partitioned, 1 when the cluster could not be reached
 * or refused a request, 2 for wrong arguments.
 */
public final class CreateTopicsCommand implements Command {
    /** The exit code when topics exist but differ from their definitions. */
    public static final int EXIT_DIFFERENT = 3;

    private static final String BOOTSTRAP_SERVER = "bootstrap-server";
    private static final String COMMAND_CONFIG = "command-config";
    private static final String TOPICS_DIR = "topics-dir";
    private static final String TIMEOUT_SECONDS = "timeout-seconds";

    @Override
    public String name() {
        return "create-topics";
    }

    @Override
    public String summary() {
        return "create the missing Streamprop topics on a cluster and check the existing ones";
    }

    @Override
    public String usage() {
        return "Usage: create-topics --bootstrap-server HOST:PORT [--command-config FILE] [--topics-dir DIR]\n"
                + "                     [--timeout-seconds N]\n\n"
                + "Creates every Streamprop topic that does not exist yet, with its partitions and configs,\n"
                + "and leaves existing topics as they are. Existing topics that differ from their definition,\n"
                + "and input topics with different partition counts, are reported; the exit code is then "
                + EXIT_DIFFERENT + ".\nRunning it again is safe.\n\n"
                + "  --bootstrap-server HOST:PORT  the cluster (required)\n"
                + "  --command-config FILE         Admin client properties, such as security settings\n"
                + "  --topics-dir DIR              read the definitions from DIR/<topic>.properties\n"
                + "                                (default: the definitions built into this jar)\n"
                + "  --timeout-seconds N           how long to wait for the cluster (default "
                + TopicCreator.DEFAULT_TIMEOUT.toSeconds() + ")\n";
    }

    /** Runs the command as its own program and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(new CreateTopicsCommand().execute(Arrays.asList(args), System.out, System.err));
    }

    /** Runs the command with errors reported on {@code err}; returns the exit code. */
    int execute(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help")) {
            out.print(usage());
            return 0;
        }
        try {
            return run(args, out);
        } catch (UsageException e) {
            err.println(name() + ": " + e.getMessage());
            err.print(usage());
            return 2;
        } catch (TopicCreationException e) {
            err.println(name() + ": " + (e.timedOut()
                    ? "the Kafka cluster did not answer in time; check --bootstrap-server, and --command-config for a"
                    + " secured cluster. " : "") + e.getMessage());
            return 1;
        } catch (KafkaException | IllegalArgumentException e) {
            err.println(name() + ": " + messageWithCauses(e));
            return 1;
        }
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
        Options options = Options.parse(args, Set.of(BOOTSTRAP_SERVER, COMMAND_CONFIG, TOPICS_DIR, TIMEOUT_SECONDS),
                Set.of());
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        if (!options.has(BOOTSTRAP_SERVER)) {
            throw new UsageException("--" + BOOTSTRAP_SERVER + " is required");
        }
        Map<String, Object> clientProperties = options.has(COMMAND_CONFIG)
                ? clientProperties(Path.of(options.text(COMMAND_CONFIG))) : Map.of();
        List<TopicDefinition> definitions = options.has(TOPICS_DIR)
                ? TopicFiles.readAll(Path.of(options.text(TOPICS_DIR))) : Topics.all();
        Duration timeout = Duration.ofSeconds(options.longValue(TIMEOUT_SECONDS,
                TopicCreator.DEFAULT_TIMEOUT.toSeconds(), 1));

        TopicReport report;
        try (TopicCreator creator = TopicCreator.connect(options.text(BOOTSTRAP_SERVER), clientProperties, timeout)) {
            report = creator.createMissing(definitions);
        }
        print(report, definitions, out);
        return report.allAsDefined() ? 0 : EXIT_DIFFERENT;
    }

    private static void print(TopicReport report, List<TopicDefinition> definitions, PrintStream out) {
        Map<String, List<String>> differences = report.mismatches().stream()
                .collect(Collectors.toMap(TopicReport.TopicMismatch::topic, TopicReport.TopicMismatch::differences));
        for (TopicDefinition definition : definitions) {
            String name = definition.name();
            if (report.created().contains(name)) {
                out.printf("%-10s %s%n", "created", name);
            } else if (differences.containsKey(name)) {
                out.printf("%-10s %s: %s%n", "DIFFERS", name, String.join("; ", differences.get(name)));
            } else {
                out.printf("%-10s %s%n", "present", name);
            }
        }
        report.coPartitioningProblem().ifPresent(problem -> out.println("NOT CO-PARTITIONED: " + problem));
        out.printf("%d topics: %d created, %d already present, %d differing from their definition"
                        + " (existing topics are never changed)%n", definitions.size(), report.created().size(),
                report.alreadyPresent().size(), report.mismatches().size());
    }

    private static Map<String, Object> clientProperties(Path file) throws UsageException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--" + COMMAND_CONFIG + " file " + file + " does not exist");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UsageException("--" + COMMAND_CONFIG + " file " + file + " could not be read: " + e.getMessage());
        }
        Map<String, Object> config = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        return config;
    }

    private static String messageWithCauses(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            message.append(": ").append(cause.getMessage());
        }
        return message.toString();
    }
}
