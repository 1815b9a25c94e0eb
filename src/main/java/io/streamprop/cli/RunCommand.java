package io.streamprop.cli;

import io.streamprop.app.LearnerApp;
import io.streamprop.topology.StreampropConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code streamprop run --config FILE}: the learner, until it is stopped. */
final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the learner against a Kafka cluster";
    }

    @Override
    public String usage() {
        return "Usage: streamprop run --config FILE\n\n"
                + "Runs the learner until it receives SIGTERM or SIGINT, then leaves its consumer group\n"
                + "and stops. FILE is a properties file: Streamprop's own settings (streamprop.*) beside\n"
                + "any Kafka Streams, producer, consumer or admin property, security settings included.\n"
                + "Only bootstrap.servers is required; see ops/learner.properties for the rest.\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options options = Options.parse(args, Set.of("config"), Set.of());
        if (!options.has("config") || !options.positional().isEmpty()) {
            throw new UsageException("expected --config FILE");
        }
        Path file = Path.of(options.text("config"));
        if (!Files.isReadable(file)) {
            throw new UsageException("cannot read the config file " + file);
        }
        StreampropConfig config;
        try {
            config = StreampropConfig.load(file);
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        if (!config.streamsProperties().containsKey("bootstrap.servers")) {
            throw new UsageException(file + " does not set bootstrap.servers");
        }
        LearnerApp app = new LearnerApp(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "streamprop-shutdown"));
        app.start();
        out.println("streamprop learner started; stop it with Ctrl-C or SIGTERM");
        app.httpUrl().ifPresent(url -> out.println("web page at " + url + ", metrics at " + url.resolve("metrics")
                + ", REST API at " + url.resolve("api/models")));
        if (!app.awaitRunning(Duration.ofMinutes(5))) {
            out.println("streamprop learner has not reached RUNNING after 5 minutes; still trying");
        }
        app.awaitStopped();
        return app.streams().state() == org.apache.kafka.streams.KafkaStreams.State.ERROR ? 1 : 0;
    }
}
