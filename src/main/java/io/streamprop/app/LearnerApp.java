package io.streamprop.app;

import io.streamprop.StreampropVersion;
import io.streamprop.topology.LearnerTopology;
import io.streamprop.topology.StreampropConfig;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner as a running Kafka Streams application: builds the topology from the config,
 * starts it, logs its state changes, and closes it leaving the consumer group, so that a
 * restarted instance does not wait for its old membership to expire.
 */
public final class LearnerApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LearnerApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    public LearnerApp(StreampropConfig config) {
        Properties props = config.streamsProperties();
        Topology topology = LearnerTopology.build(config, StreampropVersion.current());
        log.debug("Learner topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, props);
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
        return this;
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
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        stopped.countDown();
        log.info("Learner closed");
    }
}
