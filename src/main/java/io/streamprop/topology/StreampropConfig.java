package io.streamprop.topology;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import io.streamprop.eval.EvaluationSettings;
import io.streamprop.topics.TopicDefinition;
import io.streamprop.topics.Topics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The learner's configuration: one properties file holding Streamprop's own settings, all
 * named {@code streamprop.*}, beside any Kafka Streams, producer, consumer or admin property
 * (security settings included), which pass through unchanged. Every setting has a default
 * except {@code bootstrap.servers}.
 */
public final class StreampropConfig {
    public static final String PREFIX = "streamprop.";

    public static final String MODELS_TOPIC = "streamprop.topic.models";
    public static final String EXAMPLES_TOPIC = "streamprop.topic.examples";
    public static final String QUERIES_TOPIC = "streamprop.topic.queries";
    public static final String LABELS_TOPIC = "streamprop.topic.labels";
    public static final String PREDICTIONS_TOPIC = "streamprop.topic.predictions";
    public static final String SNAPSHOTS_TOPIC = "streamprop.topic.snapshots";
    public static final String DEAD_LETTERS_TOPIC = "streamprop.topic.dead-letters";
    public static final String METRICS_TOPIC = "streamprop.topic.metrics";
    /** Stream time after which a partial mini-batch is trained on anyway. */
    public static final String PARTIAL_BATCH_WAIT_MS = "streamprop.partial.batch.wait.ms";
    /**
     * Longest time (processing time) a model's training log may refer to examples in the
     * examples topic before the learner checkpoints the model and copies its pending examples
     * into the log. Keep it well below the examples topic's retention.
     */
    public static final String LOG_MAX_AGE_MS = "streamprop.log.max.age.ms";
    /**
     * Stream time that an example without a label waits for its label on the labels topic;
     * a label that comes later matches nothing.
     */
    public static final String LABEL_WINDOW_MS = "streamprop.label.window.ms";
    /** Longest features or label array accepted; longer ones go to dead letters. */
    public static final String MAX_FEATURES = "streamprop.max.features";
    /** Largest record the learner writes (snapshots, state changelogs). */
    public static final String MAX_RECORD_BYTES = "streamprop.max.record.bytes";
    /** Labelled examples of a model between two records on the metrics topic. */
    public static final String METRICS_EVERY = "streamprop.metrics.every";
    /** Examples in the sliding window of the prequential metrics. */
    public static final String METRICS_WINDOW = "streamprop.metrics.window";
    /** Per-example weight decay of the fading prequential metrics, in (0, 1). */
    public static final String METRICS_FADING_FACTOR = "streamprop.metrics.fading.factor";
    /** Port of the HTTP server (web page, metrics, REST); 0 picks a free port, -1 turns it off. */
    public static final String HTTP_PORT = "streamprop.http.port";
    /** Host name under which the other instances and browsers reach this one's HTTP server. */
    public static final String HTTP_HOST = "streamprop.http.host";

    /** The setting that names each topic the learner uses, and that topic's definition. */
    private static final Map<String, TopicDefinition> TOPIC_SETTINGS = new LinkedHashMap<>();

    static {
        TOPIC_SETTINGS.put(MODELS_TOPIC, Topics.MODELS);
        TOPIC_SETTINGS.put(EXAMPLES_TOPIC, Topics.EXAMPLES);
        TOPIC_SETTINGS.put(QUERIES_TOPIC, Topics.QUERIES);
        TOPIC_SETTINGS.put(LABELS_TOPIC, Topics.LABELS);
        TOPIC_SETTINGS.put(PREDICTIONS_TOPIC, Topics.PREDICTIONS);
        TOPIC_SETTINGS.put(SNAPSHOTS_TOPIC, Topics.SNAPSHOTS);
        TOPIC_SETTINGS.put(DEAD_LETTERS_TOPIC, Topics.DEAD_LETTERS);
        TOPIC_SETTINGS.put(METRICS_TOPIC, Topics.METRICS);
    }

    private static final Map<String, String> OWN_DEFAULTS = new LinkedHashMap<>();

    static {
        OWN_DEFAULTS.putAll(topicSettings(""));
        OWN_DEFAULTS.put(PARTIAL_BATCH_WAIT_MS, "60000");
        OWN_DEFAULTS.put(LOG_MAX_AGE_MS, "3600000");
        OWN_DEFAULTS.put(LABEL_WINDOW_MS, "3600000");
        OWN_DEFAULTS.put(MAX_FEATURES, "100000");
        OWN_DEFAULTS.put(MAX_RECORD_BYTES, String.valueOf(Topics.SNAPSHOTS.maxMessageBytes()));
        OWN_DEFAULTS.put(METRICS_EVERY, "1000");
        OWN_DEFAULTS.put(METRICS_WINDOW, String.valueOf(EvaluationSettings.DEFAULTS.windowSize()));
        OWN_DEFAULTS.put(METRICS_FADING_FACTOR, String.valueOf(EvaluationSettings.DEFAULTS.fadingFactor()));
        OWN_DEFAULTS.put(HTTP_PORT, "7070");
        OWN_DEFAULTS.put(HTTP_HOST, "localhost");
    }

    private final Map<String, String> own = new LinkedHashMap<>(OWN_DEFAULTS);
    private final Properties kafka = new Properties();

    private StreampropConfig(Properties properties) {
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name).trim();
            if (name.startsWith(PREFIX)) {
                if (!OWN_DEFAULTS.containsKey(name)) {
                    throw new IllegalArgumentException("unknown setting " + name + "; Streamprop's settings are "
                            + new TreeSet<>(OWN_DEFAULTS.keySet()));
                }
                own.put(name, value);
            } else {
                kafka.setProperty(name, value);
            }
        }
        positiveLong(PARTIAL_BATCH_WAIT_MS);
        positiveLong(LOG_MAX_AGE_MS);
        positiveLong(LABEL_WINDOW_MS);
        positiveLong(MAX_FEATURES);
        positiveLong(MAX_RECORD_BYTES);
        positiveLong(METRICS_EVERY);
        evaluationSettings();
        httpPortInRange();
        if (own.get(HTTP_HOST).isEmpty()) {
            throw new IllegalArgumentException(HTTP_HOST + " must name a host, got ''");
        }
    }

    /**
     * The topic settings for topics named {@code prefix} + their standard name, as a benchmark or
     * a test that keeps its topics apart uses them.
     */
    public static Map<String, String> topicSettings(String prefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        TOPIC_SETTINGS.forEach((key, topic) -> settings.put(key, prefix + topic.name()));
        return settings;
    }

    public static StreampropConfig of(Properties properties) {
        return new StreampropConfig(properties);
    }

    public static StreampropConfig of(Map<String, String> properties) {
        Properties p = new Properties();
        p.putAll(properties);
        return of(p);
    }

    /** Reads a properties file. */
    public static StreampropConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return of(p);
    }

    public String modelsTopic() {
        return own.get(MODELS_TOPIC);
    }

    public String examplesTopic() {
        return own.get(EXAMPLES_TOPIC);
    }

    public String queriesTopic() {
        return own.get(QUERIES_TOPIC);
    }

    public String predictionsTopic() {
        return own.get(PREDICTIONS_TOPIC);
    }

    public String snapshotsTopic() {
        return own.get(SNAPSHOTS_TOPIC);
    }

    public String deadLettersTopic() {
        return own.get(DEAD_LETTERS_TOPIC);
    }

    public long partialBatchWaitMs() {
        return Long.parseLong(own.get(PARTIAL_BATCH_WAIT_MS));
    }

    public String labelsTopic() {
        return own.get(LABELS_TOPIC);
    }

    public long labelWindowMs() {
        return Long.parseLong(own.get(LABEL_WINDOW_MS));
    }

    public long logMaxAgeMs() {
        return Long.parseLong(own.get(LOG_MAX_AGE_MS));
    }

    public int maxFeatures() {
        return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(own.get(MAX_FEATURES)));
    }

    public int maxRecordBytes() {
        return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(own.get(MAX_RECORD_BYTES)));
    }

    public String metricsTopic() {
        return own.get(METRICS_TOPIC);
    }

    public long metricsEvery() {
        return Long.parseLong(own.get(METRICS_EVERY));
    }

    /** The sliding window and fading factor of the prequential metrics. */
    public EvaluationSettings evaluationSettings() {
        String window = own.get(METRICS_WINDOW);
        String fading = own.get(METRICS_FADING_FACTOR);
        int size;
        double alpha;
        try {
            size = Integer.parseInt(window);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(METRICS_WINDOW + " must be a whole number from 1 to "
                    + EvaluationSettings.MAX_WINDOW_SIZE + ", got '" + window + "'");
        }
        try {
            alpha = Double.parseDouble(fading);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(METRICS_FADING_FACTOR + " must be a number in (0, 1), got '"
                    + fading + "'");
        }
        if (size < 1 || size > EvaluationSettings.MAX_WINDOW_SIZE) {
            throw new IllegalArgumentException(METRICS_WINDOW + " must be a whole number from 1 to "
                    + EvaluationSettings.MAX_WINDOW_SIZE + ", got '" + window + "'");
        }
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException(METRICS_FADING_FACTOR + " must be a number in (0, 1), got '"
                    + fading + "'");
        }
        return new EvaluationSettings(size, alpha);
    }

    /** The HTTP server's port: 0 for any free port, -1 when there is no HTTP server. */
    public int httpPort() {
        return Integer.parseInt(own.get(HTTP_PORT));
    }

    public String httpHost() {
        return own.get(HTTP_HOST);
    }

    /**
     * The Kafka Streams properties of an instance whose HTTP server listens on {@code httpPort}:
     * as {@link #streamsProperties()}, with {@code application.server} set to the advertised
     * host and that port, unless the file sets it. Interactive queries find the instance holding
     * a model by it.
     */
    public Properties streamsProperties(int httpPort) {
        Properties p = streamsProperties();
        if (!p.containsKey(StreamsConfig.APPLICATION_SERVER_CONFIG)) {
            p.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, httpHost() + ":" + httpPort);
        }
        return p;
    }

    /**
     * Streamprop's default commit interval. Under exactly-once every commit waits for all output
     * to be acknowledged; at Kafka Streams' own default of 100 ms that wait took 40% of the
     * learner's time for a 784-256-10 model (measured with ops/bench-e2e.sh). One second makes
     * predictions visible to read_committed readers within about a second instead.
     */
    public static final String DEFAULT_COMMIT_INTERVAL_MS = "1000";

    /**
     * The Kafka Streams properties: the file's Kafka settings over these defaults: application
     * id {@code streamprop}, exactly-once v2, a commit every second, and producer limits that let
     * large snapshots and model states through.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "streamprop");
        p.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        String maxBytes = String.valueOf(maxRecordBytes());
        p.setProperty(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxBytes);
        p.setProperty(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG),
                String.valueOf(Math.max(32L * 1024 * 1024, 2L * maxRecordBytes())));
        p.putAll(kafka);
        return p;
    }

    private void httpPortInRange() {
        String value = own.get(HTTP_PORT);
        try {
            int port = Integer.parseInt(value);
            if (port >= -1 && port <= 65535) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(HTTP_PORT + " must be a port from 1 to 65535, 0 (any free port) or -1"
                + " (no HTTP server), got '" + value + "'");
    }

    private void positiveLong(String name) {
        String value = own.get(name);
        try {
            if (Long.parseLong(value) > 0) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number > 0, got '" + value + "'");
    }
}
