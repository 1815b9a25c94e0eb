package io.streamprop.app;

import io.streamprop.StreampropVersion;
import io.streamprop.stats.LearningStats;
import io.streamprop.topology.LearnerTopology;
import io.streamprop.topology.StreampropConfig;
import io.streamprop.web.WebServer;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner as a running Kafka Streams application: builds the topology from the config,
 * starts it, logs its state changes, and closes it leaving the consumer group, so that a
 * restarted instance does not wait for its old membership to expire.
 *
 * <p>Unless {@code streamprop.http.port} is -1, it also serves the web page, the Prometheus
 * metrics and the REST API ({@link WebServer}); Kafka Streams' {@code application.server} then
 * defaults to that server's advertised host and port, by which instances find each other.
 */
public final class LearnerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LearnerApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final LearningStats stats = new LearningStats();
    /** Null when the HTTP server is turned off. */
    private final WebServer web;
    private final StreampropConfig config;
    private final HostInfo applicationServer;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    public LearnerApp(StreampropConfig config) {
        this.config = config;
        web = config.httpPort() < 0 ? null : WebServer.bind(config.httpHost(), config.httpPort());
        Properties props = web == null ? config.streamsProperties() : config.streamsProperties(web.port());
        String server = props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        applicationServer = server == null ? null : HostInfo.buildFromEndpoint(server);
        Topology topology = LearnerTopology.build(config, StreampropVersion.current(), stats);
        log.debug("Learner topology:\n{}", topology.describe());
        try {
            streams = new KafkaStreams(topology, props);
        } catch (RuntimeException e) {
            if (web != null) {
                web.close();
            }
            throw e;
        }
        String appId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        streams.setStateListener((now, before) -> {
            log.info("Learner {} went from {} to {}", appId, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            // bad input never gets here (it is dead-lettered); this is a bug or a broken cluster
            log.error("Learner {} stopped on an unexpected error", appId, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    public LearnerApp start() {
        streams.start();
        if (web != null) {
            web.start(streams, config, stats, applicationServer);
        }
        return this;
    }

    /** The address of the web page (metrics under /metrics, REST under /api); empty when turned off. */
    public Optional<URI> httpUrl() {
        return web == null ? Optional.empty() : Optional.of(web.url());
    }

    /** How this instance's models are learning. */
    public LearningStats learningStats() {
        return stats;
    }

    /** Waits until the application first reaches RUNNING; false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Blocks until the application has stopped, by {@link #close()} or an error. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        if (web != null) {
            web.close();
        }
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        stopped.countDown();
        log.info("Learner closed");
    }
}
