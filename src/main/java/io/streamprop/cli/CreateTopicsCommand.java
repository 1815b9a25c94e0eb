package io.streamprop.cli;

import io.streamprop.topics.TopicCreationException;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.TopicDefinition;
import io.streamprop.topics.TopicFiles;
import io.streamprop.topics.TopicReport;
import io.streamprop.topics.Topics;
import io.streamprop.topology.StreampropConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;

/**
 * {@code streamprop topics create}: creates Streamprop's missing topics on a cluster and checks
 * the existing ones; {@code ops/create-topics.sh} runs it.
 *
 * <p>Exit codes: 0 when every topic exists as defined, 3 when some existing topic differs from
 * its definition or the inputs are not co-partitioned, 1 when the cluster could not be reached
 * or refused a request, 2 for wrong arguments.
 */
final class CreateTopicsCommand implements Command {
    /** The exit code when topics exist but differ from their definitions. */
    static final int EXIT_DIFFERENT = 3;

    private static final String TOPICS_DIR = "topics-dir";
    /** Spellings of Kafka's own tools, accepted for the tool's options. */
    private static final Map<String, String> KAFKA_TOOL_SPELLINGS = Map.of(
            "--bootstrap-server", "--" + KafkaConnection.BOOTSTRAP_SERVERS,
            "--command-config", "--" + KafkaConnection.CONFIG);

    @Override
    public String name() {
        return "create";
    }

    @Override
    public String summary() {
        return "create the missing Streamprop topics on a cluster and check the existing ones";
    }

    @Override
    public String usage() {
        return "Usage: streamprop topics create --bootstrap-servers HOST:PORT [--config FILE] [--topics-dir DIR]\n"
                + "                               [--timeout-seconds N]\n\n"
                + "Creates every Streamprop topic that does not exist yet, with its partitions and configs,\n"
                + "and leaves existing topics as they are. Existing topics that differ from their definition,\n"
                + "and input topics with different partition counts, are reported; the exit code is then "
                + EXIT_DIFFERENT + ".\nRunning it again is safe.\n\n"
                + KafkaConnection.OPTIONS_HELP
                + Options.help("--topics-dir DIR", "read the definitions from DIR/<topic>.properties\n"
                        + "(default: the definitions built into this jar)") + "\n"
                + "Kafka's spellings --bootstrap-server and --command-config FILE work too.\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Set<String> valued = new HashSet<>(KafkaConnection.OPTIONS);
        valued.add(TOPICS_DIR);
        Options options = Options.parse(withToolSpellings(args), valued, Set.of());
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        KafkaConnection connection = KafkaConnection.from(options);
        List<TopicDefinition> definitions = named(options.has(TOPICS_DIR)
                ? readDefinitions(Path.of(options.text(TOPICS_DIR))) : Topics.all(), connection.config());
        List<String> coPartitioned = named(Topics.coPartitionedInputs(), connection.config()).stream()
                .map(TopicDefinition::name).collect(Collectors.toList());

        TopicReport report;
        try (TopicCreator creator = TopicCreator.connect(connection.bootstrapServers(), connection.adminSettings(),
                connection.timeout())) {
            report = creator.createMissing(definitions, coPartitioned);
        } catch (TopicCreationException e) {
            throw new CommandFailure(CommandFailure.FAILED, (e.timedOut()
                    ? "the Kafka cluster did not answer in time; check --bootstrap-servers, and --config for a"
                    + " secured cluster. " : "") + e.getMessage(), e);
        } catch (KafkaException | IllegalArgumentException e) {
            throw new CommandFailure(CommandFailure.FAILED, CommandFailure.messageWithCauses(e), e);
        }
        print(report, definitions, out);
        return report.allAsDefined() ? 0 : EXIT_DIFFERENT;
    }

    private static List<String> withToolSpellings(List<String> args) {
        List<String> renamed = new ArrayList<>();
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String ours = KAFKA_TOOL_SPELLINGS.get(name);
            renamed.add(ours == null ? arg : ours + arg.substring(name.length()));
        }
        return renamed;
    }

    private static List<TopicDefinition> readDefinitions(Path dir) throws CommandFailure {
        try {
            return TopicFiles.readAll(dir);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new CommandFailure(CommandFailure.FAILED, CommandFailure.messageWithCauses(e), e);
        }
    }

    /** The definitions with the topic names that the config gives Streamprop's topics. */
    private static List<TopicDefinition> named(List<TopicDefinition> definitions, StreampropConfig config) {
        Map<String, String> names = Map.of(Topics.MODELS.name(), config.modelsTopic(),
                Topics.EXAMPLES.name(), config.examplesTopic(), Topics.LABELS.name(), config.labelsTopic(),
                Topics.QUERIES.name(), config.queriesTopic(),
                Topics.PREDICTIONS.name(), config.predictionsTopic(), Topics.SNAPSHOTS.name(), config.snapshotsTopic(),
                Topics.DEAD_LETTERS.name(), config.deadLettersTopic(), Topics.METRICS.name(), config.metricsTopic());
        return definitions.stream().map(d -> d.withName(names.getOrDefault(d.name(), d.name())))
                .collect(Collectors.toList());
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
}
