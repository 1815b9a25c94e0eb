package io.streamprop.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code streamprop snapshot export ID FILE}: writes the latest snapshot of a model, byte for
 * byte as the learner wrote it, to a file that {@code snapshot import} takes back.
 */
final class SnapshotExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write the latest snapshot of a model to a file";
    }

    @Override
    public String usage() {
        return "Usage: streamprop snapshot export ID FILE [--bootstrap-servers HOST:PORT] [--config FILE]\n"
                + "                                [--timeout-seconds N]\n\n"
                + "Writes the latest snapshot of model ID on the snapshots topic to FILE (replacing it): the\n"
                + "JSON that the learner wrote, with the spec, weights, optimizer state, feature statistics\n"
                + "and provenance. 'streamprop snapshot import FILE' warm-starts a model from it.\n\n"
                + Options.help("ID", "the model id")
                + Options.help("FILE", "where to write the snapshot")
                + KafkaConnection.OPTIONS_HELP;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Options options = Options.parse(args, KafkaConnection.OPTIONS, Set.of());
        List<String> positional = options.expectPositional("ID", "FILE");
        String modelId = positional.get(0);
        Path file = Path.of(positional.get(1)).toAbsolutePath();
        if (!Files.isDirectory(file.getParent())) {
            throw new UsageException("cannot write " + file + ": no directory " + file.getParent());
        }
        if (Files.isDirectory(file)) {
            throw new UsageException("cannot write " + file + ": it is a directory");
        }
        KafkaConnection connection = KafkaConnection.from(options);
        String topic = connection.config().snapshotsTopic();
        Optional<ConsumerRecord<byte[], byte[]>> latest;
        try (KafkaConsumer<byte[], byte[]> consumer = connection.consumer()) {
            latest = TopicScan.latest(connection, consumer, topic, modelId);
        }
        if (latest.isEmpty()) {
            throw new CommandFailure(CommandFailure.FAILED, "no snapshot of model '" + modelId + "' on " + topic
                    + "; 'streamprop models list' lists the models");
        }
        byte[] snapshot = latest.get().value();
        write(file, snapshot);
        String provenance;
        try {
            SnapshotSummary s = SnapshotSummary.read(snapshot);
            provenance = " at version " + s.version() + " (" + s.examplesSeen() + " examples seen, taken " + s.time()
                    + ")";
        } catch (IllegalArgumentException e) {
            provenance = " (which does not read as a snapshot: " + e.getMessage() + ")";
        }
        out.println("Wrote the snapshot of model '" + modelId + "'" + provenance + " to " + file + ": "
                + snapshot.length + " bytes.");
        return 0;
    }

    /** Writes beside the file, then moves into place, so that a failure leaves no half snapshot. */
    private static void write(Path file, byte[] content) throws CommandFailure {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.FAILED, "cannot write " + file + ": " + e, e);
        }
    }
}
