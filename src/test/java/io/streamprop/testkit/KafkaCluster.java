package io.streamprop.testkit;

import io.streamprop.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka cluster that integration tests talk to, one per test JVM, chosen once:
 * <ol>
 *   <li>the cluster at {@code KAFKA_BOOTSTRAP_SERVERS}, when that variable is set;</li>
 *   <li>else a Kafka container, when a Docker engine answers;</li>
 *   <li>else an {@link EmbeddedKafkaBroker} in this JVM.</li>
 * </ol>
 * It starts on first use and stops when the JVM ends. Tests never skip for want of Docker.
 *
 * <p>As an extension ({@code @ExtendWith(KafkaCluster.class)}) it starts the cluster before the
 * class's tests and fails a test during which Kafka asked to end the JVM.
 */
public final class KafkaCluster implements BeforeAllCallback, AfterEachCallback {
    public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    static final String KAFKA_IMAGE = "apache/kafka:4.4.0";

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static String bootstrapServers;

    /** The bootstrap address of the shared cluster, starting the cluster if needed. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            KafkaExitGuard.install();
            bootstrapServers = connect();
        }
        return bootstrapServers;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        bootstrapServers();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        KafkaExitGuard.assertKafkaDidNotAskToEndTheJvm(context.getDisplayName());
    }

    private static String connect() {
        String external = System.getenv(BOOTSTRAP_SERVERS_ENV);
        if (external != null && !external.isBlank()) {
            log.info("Using the Kafka cluster at {} from {}", external, BOOTSTRAP_SERVERS_ENV);
            return external;
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return startContainer();
        }
        return startEmbeddedBroker();
    }

    private static String startContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
        log.info("Using a Kafka container ({}) at {}", KAFKA_IMAGE, container.getBootstrapServers());
        return container.getBootstrapServers();
    }

    private static String startEmbeddedBroker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
        log.info("Using an embedded Kafka broker at {}: no {} and no Docker engine",
                broker.bootstrapServers(), BOOTSTRAP_SERVERS_ENV);
        return broker.bootstrapServers();
    }
}
