package io.streamprop.cli;

import io.streamprop.broker.BrokerProcess;
import io.streamprop.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Runs an {@link EmbeddedKafkaBroker} until the process is stopped or killed.
 *
 * <p>Once the broker is ready it prints its bootstrap address, alone on one line, to standard
 * output; {@link BrokerProcess} starts this class by name and waits for that line. It lives with
 * the command-line tool because that line on standard output is its whole interface. A SIGTERM shuts the broker down cleanly.
 *
 * <pre>
 * BrokerMain [--log-dir DIR] [--port N] [--controller-port N]
 *            [--auto-create-topics true|false] [--broker-property NAME=VALUE]...
 * </pre>
 */
public final class BrokerMain {
    private static final String USAGE = "usage: BrokerMain [--log-dir DIR] [--port N] [--controller-port N]"
            + " [--auto-create-topics true|false] [--broker-property NAME=VALUE]...";

    private BrokerMain() {
    }

    public static void main(String[] args) {
        EmbeddedKafkaBroker.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        EmbeddedKafkaBroker broker = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        System.out.println(broker.bootstrapServers());
        System.out.flush();
        broker.awaitShutdown();
    }

    private static EmbeddedKafkaBroker.Builder parse(String[] args) {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        Iterator<String> it = Arrays.asList(args).iterator();
        while (it.hasNext()) {
            String option = it.next();
            if (!it.hasNext()) {
                throw new IllegalArgumentException("option " + option + " has no value");
            }
            String value = it.next();
            switch (option) {
                case "--log-dir" -> builder.logDir(Path.of(value));
                case "--port" -> builder.port(parsePort(option, value));
                case "--controller-port" -> builder.controllerPort(parsePort(option, value));
                case "--auto-create-topics" -> builder.autoCreateTopics(parseBoolean(option, value));
                case "--broker-property" -> addBrokerProperty(builder, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return builder;
    }

    private static int parsePort(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " is '" + value
                    + "', expected a port number from 0 to 65535", e);
        }
    }

    private static boolean parseBoolean(String option, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(option + " is '" + value + "', expected true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static void addBrokerProperty(EmbeddedKafkaBroker.Builder builder, String assignment) {
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--broker-property is '" + assignment
                    + "', expected NAME=VALUE");
        }
        builder.brokerProperty(assignment.substring(0, equals), assignment.substring(equals + 1));
    }
}
