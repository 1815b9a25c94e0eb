package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.topics.Topics;
import io.streamprop.eval.EvaluationSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreampropConfigTest {

    @Test
    void shouldReadTheShippedExampleFile() throws Exception {
        StreampropConfig config = StreampropConfig.load(Path.of("ops", "learner.properties"));

        assertEquals(Topics.EXAMPLES.name(), config.examplesTopic());
        assertEquals(60_000, config.partialBatchWaitMs());
        Properties streams = config.streamsProperties();
        assertEquals("localhost:9092", streams.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Test
    void shouldPassKafkaSettingsThroughAndKeepSensibleDefaults() {
        StreampropConfig config = StreampropConfig.of(Map.of("bootstrap.servers", "b:9093",
                "security.protocol", "SASL_SSL", "producer.linger.ms", "20",
                StreampropConfig.MAX_FEATURES, "784"));

        Properties streams = config.streamsProperties();
        assertEquals("SASL_SSL", streams.getProperty("security.protocol"));
        assertEquals("20", streams.getProperty("producer.linger.ms"));
        assertEquals("streamprop", streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals(String.valueOf(Topics.SNAPSHOTS.maxMessageBytes()), streams.getProperty("producer.max.request.size"));
        assertEquals(784, config.maxFeatures());
    }

    @Test
    void shouldRefuseUnknownAndInvalidStreampropSettings() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> StreampropConfig.of(Map.of("streamprop.batch.size", "3")));
        assertTrue(unknown.getMessage().contains("unknown setting streamprop.batch.size"), unknown.getMessage());

        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> StreampropConfig.of(Map.of(StreampropConfig.PARTIAL_BATCH_WAIT_MS, "soon")));
        assertEquals("streamprop.partial.batch.wait.ms must be a whole number > 0, got 'soon'", invalid.getMessage());
    }

    @Test
    void shouldReadAndCheckTheMetricsSettings() {
        StreampropConfig defaults = StreampropConfig.of(Map.of());
        assertEquals(Topics.METRICS.name(), defaults.metricsTopic());
        assertEquals(1000, defaults.metricsEvery());
        assertEquals(new EvaluationSettings(1000, 0.999), defaults.evaluationSettings());

        StreampropConfig set = StreampropConfig.of(Map.of(StreampropConfig.METRICS_EVERY, "50",
                StreampropConfig.METRICS_WINDOW, "200", StreampropConfig.METRICS_FADING_FACTOR, "0.99"));
        assertEquals(50, set.metricsEvery());
        assertEquals(new EvaluationSettings(200, 0.99), set.evaluationSettings());

        for (Map<String, String> bad : List.of(Map.of(StreampropConfig.METRICS_EVERY, "0"),
                Map.of(StreampropConfig.METRICS_WINDOW, "0"), Map.of(StreampropConfig.METRICS_WINDOW, "big"),
                Map.of(StreampropConfig.METRICS_FADING_FACTOR, "1"),
                Map.of(StreampropConfig.METRICS_FADING_FACTOR, "NaN"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreampropConfig.of(bad));
            String name = bad.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(name + " must be"), e.getMessage());
        }
    }

    @Test
    void shouldAdvertiseTheHttpServerAsApplicationServerUnlessTold() {
        StreampropConfig defaults = StreampropConfig.of(Map.of("bootstrap.servers", "b:9093"));
        assertEquals(7070, defaults.httpPort());
        assertEquals("localhost", defaults.httpHost());
        assertEquals("localhost:41234", defaults.streamsProperties(41234)
                .getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));

        StreampropConfig told = StreampropConfig.of(Map.of(StreampropConfig.HTTP_HOST, "learner-1",
                StreamsConfig.APPLICATION_SERVER_CONFIG, "proxy:80"));
        assertEquals("proxy:80", told.streamsProperties(7070).getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals(-1, StreampropConfig.of(Map.of(StreampropConfig.HTTP_PORT, "-1")).httpPort());

        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> StreampropConfig.of(Map.of(StreampropConfig.HTTP_PORT, "70000")));
        assertEquals("streamprop.http.port must be a port from 1 to 65535, 0 (any free port) or -1 (no HTTP server),"
                + " got '70000'", port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreampropConfig.of(Map.of(StreampropConfig.HTTP_HOST, " ")));
    }
}
