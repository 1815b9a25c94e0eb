package io.streamprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.streamprop.nn.InvalidSpecException;
import io.streamprop.topology.ModelSnapshot;
import io.streamprop.topology.ModelSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code streamprop models show ID}: a model's spec as the models topic holds it, and the
 * provenance of its latest snapshot; its weights on request.
 */
final class ModelsShowCommand implements Command {
    private static final String WEIGHTS = "weights";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    @Override
    public String name() {
        return "show";
    }

    @Override
    public String summary() {
        return "show a model's spec and the provenance of its latest snapshot";
    }

    @Override
    public String usage() {
        return "Usage: streamprop models show ID [--weights] [--bootstrap-servers HOST:PORT] [--config FILE]\n"
                + "                               [--timeout-seconds N]\n\n"
                + "Prints the model's spec (the latest on the models topic) and what its latest snapshot says\n"
                + "about it: version, examples seen, time, software version, the input offsets it reflects.\n\n"
                + Options.help("ID", "the model id")
                + Options.help("--weights", "also print the snapshot's whole state: weights, biases,\n"
                        + "optimizer state and feature statistics")
                + KafkaConnection.OPTIONS_HELP;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Options options = Options.parse(args, KafkaConnection.OPTIONS, Set.of(WEIGHTS));
        String modelId = options.expectPositional("ID").get(0);
        KafkaConnection connection = KafkaConnection.from(options);
        String modelsTopic = connection.config().modelsTopic();
        String snapshotsTopic = connection.config().snapshotsTopic();
        Optional<ConsumerRecord<byte[], byte[]>> spec;
        Optional<ConsumerRecord<byte[], byte[]>> snapshot;
        try (KafkaConsumer<byte[], byte[]> consumer = connection.consumer()) {
            spec = TopicScan.latest(connection, consumer, modelsTopic, modelId);
            snapshot = TopicScan.latest(connection, consumer, snapshotsTopic, modelId);
        }
        if (spec.isEmpty() && snapshot.isEmpty()) {
            throw new CommandFailure(CommandFailure.FAILED, "no model '" + modelId + "' on " + modelsTopic + " or "
                    + snapshotsTopic + "; 'streamprop models list' lists the models");
        }
        out.println("Model '" + modelId + "'");
        if (spec.isPresent()) {
            printSpec(spec.get(), out);
        } else {
            out.println("No spec on " + modelsTopic + " (deleted, or compacted away).");
        }
        if (snapshot.isPresent()) {
            printSnapshot(snapshot.get(), options.has(WEIGHTS), out);
        } else {
            out.println("No snapshot on " + snapshotsTopic + " yet: is a learner running?");
        }
        return 0;
    }

    private static void printSpec(ConsumerRecord<byte[], byte[]> record, PrintStream out) {
        String where = "(" + record.topic() + ", partition " + record.partition() + ", offset " + record.offset() + ")";
        byte[] value = record.value();
        if (ModelSnapshot.isSnapshot(value)) {
            try {
                SnapshotSummary imported = SnapshotSummary.read(value);
                out.println("Warm-started from a snapshot of model '" + imported.model() + "' at version "
                        + imported.version() + " " + where + "; its spec:");
                out.println(pretty(imported.spec()));
            } catch (IllegalArgumentException e) {
                out.println("An unreadable snapshot " + where + ", which the learner refused: " + e.getMessage());
            }
            return;
        }
        try {
            ModelSpec.fromJson(value);
            out.println("Spec " + where + ":");
        } catch (InvalidSpecException e) {
            out.println("Spec " + where + ", which the learner refused: " + e.getMessage());
        }
        try {
            out.println(pretty(MAPPER.readTree(value)));
        } catch (IOException e) {
            out.println(new String(value, StandardCharsets.UTF_8));
        }
    }

    private static void printSnapshot(ConsumerRecord<byte[], byte[]> record, boolean weights, PrintStream out)
            throws CommandFailure {
        SnapshotSummary s;
        try {
            s = SnapshotSummary.read(record.value());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(CommandFailure.FAILED, "the latest snapshot on " + record.topic() + ", partition "
                    + record.partition() + ", offset " + record.offset() + " is unreadable: " + e.getMessage(), e);
        }
        out.println("Latest snapshot (" + record.topic() + ", partition " + record.partition() + ", offset "
                + record.offset() + ", " + s.sizeBytes() + " bytes):");
        row(out, "layers", s.shape());
        row(out, "parameters", String.valueOf(s.parameterCount()));
        row(out, "version", s.version() + " updates applied");
        row(out, "examples seen", String.valueOf(s.examplesSeen()));
        if (s.stepsRejected() >= 0) {
            row(out, "steps rejected", String.valueOf(s.stepsRejected()));
        }
        row(out, "taken", s.time() == null ? "-" : s.time());
        row(out, "software version", s.softwareVersion() == null ? "-" : s.softwareVersion());
        row(out, "snapshot every", s.snapshotEvery() == null ? "-" : s.snapshotEvery() + " updates");
        row(out, "input offsets", s.inputOffsets().isEmpty() ? "none" : s.inputOffsets().entrySet().stream()
                .map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(", ")));
        if (weights) {
            try {
                out.println("State (weights one row per input, biases, optimizer state, feature statistics):");
                out.println(pretty(MAPPER.readTree(record.value()).get("state")));
            } catch (IOException e) {
                throw new CommandFailure(CommandFailure.FAILED, "the snapshot's state is unreadable: "
                        + e.getMessage(), e);
            }
        }
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("  %-17s %s%n", name, value);
    }

    private static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (IOException e) {
            return String.valueOf(node);
        }
    }
}
