package io.streamprop.cli;

import io.streamprop.nn.InvalidSpecException;
import io.streamprop.topology.ModelSnapshot;
import io.streamprop.topology.ModelSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code streamprop models list}: one line per model, from the latest value of each key on the
 * models topic and the latest snapshot of each model.
 */
final class ModelsListCommand implements Command {
    private static final String[] HEADER = {"MODEL", "LAYERS", "VERSION", "EXAMPLES SEEN", "SNAPSHOT TIME"};

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String summary() {
        return "list the models with their version and examples seen";
    }

    @Override
    public String usage() {
        return "Usage: streamprop models list [--bootstrap-servers HOST:PORT] [--config FILE] [--timeout-seconds N]\n\n"
                + "Reads the models and snapshots topics to their end and prints one line per model: its layer\n"
                + "sizes, and the version (updates applied) and examples seen of its latest snapshot, which\n"
                + "the learner takes every snapshotEvery updates. A model without a snapshot yet shows the\n"
                + "layers of its spec.\n\n"
                + KafkaConnection.OPTIONS_HELP;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Options options = Options.parse(args, KafkaConnection.OPTIONS, Set.of());
        options.expectPositional();
        KafkaConnection connection = KafkaConnection.from(options);
        String modelsTopic = connection.config().modelsTopic();
        Map<String, String> shapes;
        Map<String, SnapshotSummary> snapshots;
        try (KafkaConsumer<byte[], byte[]> consumer = connection.consumer()) {
            shapes = TopicScan.latestByKey(connection, consumer, modelsTopic, ModelsListCommand::shapeOf);
            snapshots = TopicScan.latestByKey(connection, consumer, connection.config().snapshotsTopic(),
                    ModelsListCommand::summaryOf);
        }
        Set<String> ids = new TreeSet<>(shapes.keySet());
        ids.addAll(snapshots.keySet());
        if (ids.isEmpty()) {
            out.println("No models on " + modelsTopic + ".");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (String id : ids) {
            SnapshotSummary snapshot = snapshots.get(id);
            // the snapshot shows the model as it is; a spec that the learner refused may say otherwise
            String layers = snapshot != null ? snapshot.shape() : shapes.getOrDefault(id, "-");
            if (snapshot == null) {
                rows.add(new String[] {id, layers, "-", "-", snapshots.containsKey(id) ? "(unreadable snapshot)"
                        : "no snapshot yet"});
            } else {
                rows.add(new String[] {id, layers, String.valueOf(snapshot.version()),
                        String.valueOf(snapshot.examplesSeen()), snapshot.time() == null ? "-" : snapshot.time()});
            }
        }
        printTable(rows, out);
        out.println(ids.size() + (ids.size() == 1 ? " model" : " models")
                + "; version and examples seen as of each model's latest snapshot");
        return 0;
    }

    /** The layers of a models-topic value: a spec, or a snapshot sent to warm-start a model. */
    private static String shapeOf(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (ModelSnapshot.isSnapshot(value)) {
            SnapshotSummary snapshot = summaryOf(record);
            return snapshot == null ? "(invalid snapshot)" : snapshot.shape() + " (from a snapshot)";
        }
        try {
            return ModelSpec.fromJson(value).network().layers().stream().map(String::valueOf)
                    .collect(Collectors.joining("-"));
        } catch (InvalidSpecException e) {
            return "(invalid spec)";
        }
    }

    /** The summary of a snapshot; null when it is unreadable. */
    private static SnapshotSummary summaryOf(ConsumerRecord<byte[], byte[]> record) {
        try {
            return SnapshotSummary.read(record.value());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Left-aligned text columns, right-aligned number columns. */
    private static void printTable(List<String[]> rows, PrintStream out) {
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                boolean number = c == 2 || c == 3;
                String format = "%" + (number ? "" : "-") + widths[c] + "s";
                line.append(c == 0 ? "" : "  ").append(String.format(format, row[c]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
