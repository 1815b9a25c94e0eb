package io.streamprop.cli;

import io.streamprop.broker.EmbeddedKafkaBroker;
import io.streamprop.broker.LoopbackPorts;
import io.streamprop.topics.TopicCreationException;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.TopicReport;
import io.streamprop.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code streamprop broker}: a real Kafka broker in this process, for trying Streamprop out,
 * until Ctrl-C or SIGTERM, which close it cleanly.
 */
final class BrokerCommand implements Command {
    /** The port of Kafka's own default, which ops/learner.properties points at. */
    static final int DEFAULT_PORT = 9092;

    private static final String PORT = "port";
    private static final String DATA_DIR = "data-dir";
    private static final String CREATE_TOPICS = "create-topics";

    /** The running broker, for {@link #stop()}; null before it has started. */
    private volatile EmbeddedKafkaBroker broker;

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String summary() {
        return "run a local Kafka broker to try Streamprop out; prints its bootstrap address";
    }

    @Override
    public String usage() {
        return "Usage: streamprop broker [--port N] [--data-dir DIR] [--create-topics]\n\n"
                + "Runs a single-node Kafka broker (KRaft, broker and controller in one) in this process,\n"
                + "listening on 127.0.0.1 only, until Ctrl-C or SIGTERM. Its bootstrap address is printed\n"
                + "on the first line. It is for trying things out, not for production.\n\n"
                + Options.help("--port N", "the port clients connect to (default " + DEFAULT_PORT
                        + "; 0 picks a free one)")
                + Options.help("--data-dir DIR", "keep the data in DIR, to start again on it later\n"
                        + "(default: a temporary directory, deleted when the broker stops)")
                + Options.help("--create-topics", "create Streamprop's topics once the broker is up");
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException, CommandFailure {
        Options options = Options.parse(args, Set.of(PORT, DATA_DIR), Set.of(CREATE_TOPICS));
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        long port = options.longValue(PORT, DEFAULT_PORT, 0);
        if (port > 65_535) {
            throw new UsageException("--port must be from 0 to 65535, got " + port);
        }
        if (port != 0) {
            checkFree((int) port);
        }
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port((int) port);
        if (options.has(DATA_DIR)) {
            builder.logDir(Path.of(options.text(DATA_DIR)));
        }
        try {
            broker = builder.start();
        } catch (RuntimeException e) {
            throw new CommandFailure(CommandFailure.FAILED, "the broker did not start: " + CommandFailure.messageWithCauses(e), e);
        }
        Thread closer = new Thread(this::stop, "streamprop-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(closer);
        try {
            out.println("Kafka broker ready at " + broker.bootstrapServers());
            out.println("  data: " + broker.logDir() + (options.has(DATA_DIR) ? ""
                    : " (temporary: deleted when the broker stops)"));
            if (options.has(CREATE_TOPICS)) {
                createTopics(out);
            }
            out.println("Stop it with Ctrl-C.");
            out.flush();
            broker.awaitShutdown();
            return 0;
        } finally {
            stop();
            removeHook(closer);
        }
    }

    /** Closes the broker; {@link #run} then returns. Safe to call more than once, and before the start. */
    void stop() {
        EmbeddedKafkaBroker running = broker;
        if (running != null) {
            running.close();
        }
    }

    /** Fails at once, rather than after the broker's own start-up, when the port is taken. */
    private static void checkFree(int port) throws CommandFailure {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(LoopbackPorts.HOST), port));
        } catch (IOException e) {
            throw new CommandFailure(CommandFailure.FAILED, "port " + port + " on " + LoopbackPorts.HOST
                    + " is in use (" + e.getMessage()
                    + "); choose another with --port N, or --port 0 for a free one");
        }
    }

    private void createTopics(PrintStream out) throws CommandFailure {
        TopicReport report;
        try (TopicCreator creator = TopicCreator.connect(broker.bootstrapServers(), Map.of(),
                KafkaConnection.DEFAULT_TIMEOUT)) {
            report = creator.createMissing(Topics.all());
        } catch (TopicCreationException e) {
            throw new CommandFailure(CommandFailure.FAILED, "the topics were not created: " + e.getMessage(), e);
        }
        out.println("  topics: " + report.created().size() + " created, " + report.alreadyPresent().size()
                + " already present (" + String.join(", ", Topics.names(Topics.all())) + ")");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down, and the hook is closing the broker
        }
    }
}
