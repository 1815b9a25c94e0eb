package io.streamprop.cli;

import io.streamprop.nn.InvalidSpecException;
import io.streamprop.topology.ModelSnapshot;
import io.streamprop.topology.ModelSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code streamprop models put ID}: checks a spec with the learner's own parser and, if it is
 * valid, produces it to the models topic keyed by the model id.
 */
final class ModelsPutCommand implements Command {
    private static final String SPEC = "spec";
    private static final String JSON = "json";

    @Override
    public String name() {
        return "put";
    }

    @Override
    public String summary() {
        return "create a model, or change its spec, from a spec file or inline JSON";
    }

    @Override
    public String usage() {
        return "Usage: streamprop models put ID (--spec FILE | --json '{...}') [--bootstrap-servers HOST:PORT]\n"
                + "                             [--config FILE] [--timeout-seconds N]\n\n"
                + "Checks the spec as the learner will (README: Network specs), then sends it to the models\n"
                + "topic with the key ID. The learner creates the model, or takes the new spec: the weights\n"
                + "stay when the layer sizes do; other layer sizes need \"reset\": true. An invalid spec is\n"
                + "refused with the field at fault (exit code 2) and nothing is sent.\n\n"
                + Options.help("ID", "the model id")
                + Options.help("--spec FILE", "the spec as a JSON file")
                + Options.help("--json JSON", "the spec inline, e.g. '{\"layers\": [3, 2, 1]}'")
                + KafkaConnection.OPTIONS_HELP
                + "\nExample:\n  streamprop models put xor --json '{\"layers\": [3, 2, 1], \"outputActivation\": \"sigmoid\"}'"
                + " --bootstrap-servers localhost:9092\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Set<String> valued = new HashSet<>(KafkaConnection.OPTIONS);
        valued.addAll(Set.of(SPEC, JSON));
        Options options = Options.parse(args, valued, Set.of());
        String modelId = options.expectPositional("ID").get(0);
        if (options.has(SPEC) == options.has(JSON)) {
            throw new UsageException("give the spec with either --spec FILE or --json JSON");
        }
        byte[] spec = options.has(SPEC) ? readSpecFile(Path.of(options.text(SPEC)))
                : options.text(JSON).getBytes(StandardCharsets.UTF_8);
        String where = options.has(SPEC) ? options.text(SPEC) + ": " : "";
        if (ModelSnapshot.isSnapshot(spec)) {
            throw new CommandFailure(CommandFailure.INVALID_INPUT, where + "this is a snapshot, not a spec;"
                    + " 'streamprop snapshot import' warm-starts a model from it");
        }
        ModelSpec parsed;
        try {
            parsed = ModelSpec.fromJson(spec);
        } catch (InvalidSpecException e) {
            throw new CommandFailure(CommandFailure.INVALID_INPUT, where + e.getMessage() + "; nothing was sent");
        }
        KafkaConnection connection = KafkaConnection.from(options);
        String topic = connection.config().modelsTopic();
        RecordMetadata sent = connection.send(topic, modelId, spec);
        out.printf("Sent the spec of model '%s' (layers %s) to %s, partition %d, offset %d.%n", modelId,
                parsed.network().layers().stream().map(String::valueOf).collect(Collectors.joining("-")), topic,
                sent.partition(), sent.offset());
        out.println("The learner creates the model, or takes the new spec, when it reads it.");
        return 0;
    }

    private static byte[] readSpecFile(Path file) throws CommandFailure {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.INVALID_INPUT, "cannot read the spec file " + file + (Files.exists(file) ? ": " + e.getMessage()
                    : ": no such file"));
        }
    }
}
