package io.streamprop.cli;

import io.streamprop.topology.InvalidSnapshotException;
import io.streamprop.topology.ModelSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code streamprop snapshot import FILE}: checks a snapshot file with the learner's own reader
 * and sends it to the models topic, where the learner warm-starts a model from it.
 */
final class SnapshotImportCommand implements Command {
    private static final String AS = "as";

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String summary() {
        return "warm-start a model from a snapshot file, on the same or another cluster";
    }

    @Override
    public String usage() {
        return "Usage: streamprop snapshot import FILE [--as ID] [--bootstrap-servers HOST:PORT] [--config FILE]\n"
                + "                                [--timeout-seconds N]\n\n"
                + "Reads a snapshot written by 'streamprop snapshot export' (or taken from the snapshots topic),\n"
                + "checks that it decodes to a whole model, and sends it to the models topic. The learner then\n"
                + "replaces the model of that id, whatever its layers, with the snapshot's exact weights,\n"
                + "optimizer state, feature statistics and counters, and emits a snapshot of it. An invalid\n"
                + "file is refused with the field at fault (exit code 2) and nothing is sent.\n\n"
                + Options.help("FILE", "the snapshot")
                + Options.help("--as ID", "the id of the model to start (default: the id of the model\n"
                        + "it was taken of)")
                + KafkaConnection.OPTIONS_HELP;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Set<String> valued = new HashSet<>(KafkaConnection.OPTIONS);
        valued.add(AS);
        Options options = Options.parse(args, valued, Set.of());
        Path file = Path.of(options.expectPositional("FILE").get(0));
        if (options.has(AS) && options.text(AS).isEmpty()) {
            throw new UsageException("--as needs a model id");
        }
        byte[] value;
        try {
            value = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.INVALID_INPUT, "cannot read the snapshot file " + file + (Files.exists(file)
                    ? ": " + e.getMessage() : ": no such file"));
        }
        ModelSnapshot snapshot;
        try {
            snapshot = ModelSnapshot.fromJson(value);
        } catch (InvalidSnapshotException e) {
            throw new CommandFailure(CommandFailure.INVALID_INPUT, file + ": " + e.getMessage() + "; nothing was sent");
        }
        String modelId = options.has(AS) ? options.text(AS) : snapshot.modelId();
        KafkaConnection connection = KafkaConnection.from(options);
        String topic = connection.config().modelsTopic();
        RecordMetadata sent = connection.send(topic, modelId, value);
        out.println("Sent the snapshot of model '" + snapshot.modelId() + "' at version " + snapshot.version() + " ("
                + snapshot.examplesSeen() + " examples seen, " + snapshot.model().parameterCount()
                + " parameters) to " + topic + " as model '" + modelId + "', partition " + sent.partition()
                + ", offset " + sent.offset() + ".");
        out.println("The learner warm-starts model '" + modelId + "' from it, replacing any model of that id.");
        return 0;
    }
}
