package io.streamprop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml and the files it mounts as far as is possible without a Docker
 * engine: structure, the files it names, the broker's settings (validated by Kafka's own
 * {@link KafkaConfig}), the learners' configs, Prometheus' targets, and the dashboard's metrics.
 */
class ComposeFileTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String LEARNER_CONFIG = "/etc/streamprop/learner.properties";
    private static final List<String> LEARNERS = List.of("learner-1", "learner-2");

    /** The metric names of the shared contract (HELPER-CONTEXT): the dashboard uses no others. */
    private static final Set<String> CONTRACT_METRICS = Set.of(
            "streamprop_model_examples_total",
            "streamprop_model_examples_per_second",
            "streamprop_model_loss",
            "streamprop_model_accuracy",
            "streamprop_model_version",
            "streamprop_model_snapshot_age_seconds",
            "streamprop_dead_letters_total",
            // Kafka Streams' own metrics as kafka_streams_<group>_<name>
            "kafka_streams_stream_thread_metrics_process_rate",
            "kafka_streams_stream_thread_metrics_commit_latency_avg",
            "kafka_streams_stream_thread_metrics_commit_latency_max",
            "kafka_streams_consumer_fetch_manager_metrics_records_lag_max");

    private final JsonNode compose = yaml("docker-compose.yml");
    private final JsonNode services = compose.get("services");

    @Test
    void shouldHaveTheBrokerTopicServiceTwoLearnersPrometheusAndGrafana() {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(List.of("kafka", "topics", "learner-1", "learner-2", "prometheus", "grafana")),
                names);
        assertTrue(services.get("kafka").get("image").asText().startsWith("apache/kafka:4."));
    }

    @Test
    void shouldMountOnlyFilesThatExistInTheRepository() {
        List<String> mounted = new ArrayList<>();
        for (JsonNode service : iterable(services)) {
            for (JsonNode volume : iterable(service.path("volumes"))) {
                String source = volume.asText().split(":")[0];
                assertTrue(source.startsWith("./"), "mounts a repository path: " + volume.asText());
                mounted.add(source);
                assertTrue(Files.exists(ROOT.resolve(source)), source + " exists");
            }
            JsonNode build = service.path("build");
            if (!build.isMissingNode()) {
                assertTrue(Files.isRegularFile(ROOT.resolve(build.get("context").asText())
                        .resolve(build.get("dockerfile").asText())));
            }
        }
        assertTrue(mounted.contains("./ops/prometheus/prometheus.yml"), "mounts: " + mounted);
    }

    @Test
    void shouldRunTheBrokerWithoutAutomaticTopicCreationInAConfigKafkaAccepts() {
        JsonNode environment = services.get("kafka").get("environment");
        Properties broker = new Properties();
        environment.properties().forEach(e -> {
            if (e.getKey().startsWith("KAFKA_")) {
                broker.setProperty(propertyName(e.getKey()), e.getValue().asText());
            }
        });

        assertEquals("false", broker.getProperty("auto.create.topics.enable"));
        String clusterId = environment.get("CLUSTER_ID").asText();
        assertEquals(clusterId, Uuid.fromString(clusterId).toString(), "a cluster id the storage tool accepts");
        broker.setProperty("log.dirs", "/tmp/unused");
        KafkaConfig config = KafkaConfig.fromProps(broker, false);
        assertFalse(config.autoCreateTopicsEnable());
        assertTrue(broker.getProperty("advertised.listeners").contains("://kafka:9092"),
                "the compose network reaches the broker at kafka:9092");
    }

    @Test
    void shouldKeepTheReferenceBrokerFileValidAndWithoutAutomaticTopicCreation() throws IOException {
        Properties broker = properties("ops/broker/server.properties");
        assertEquals("false", broker.getProperty("auto.create.topics.enable"));
        assertFalse(KafkaConfig.fromProps(broker, false).autoCreateTopicsEnable());
    }

    @Test
    void shouldCreateTheTopicsOnceTheBrokerIsHealthy() {
        JsonNode topics = services.get("topics");
        List<String> command = texts(topics.get("command"));
        assertEquals(List.of("topics", "create"), command.subList(0, 2));
        assertEquals("kafka:9092", command.get(command.indexOf("--bootstrap-server") + 1));
        assertEquals("service_healthy", topics.get("depends_on").get("kafka").get("condition").asText());
        assertEquals("no", topics.get("restart").asText());
    }

    @Test
    void shouldRunTwoLearnersOfOneApplicationThatAdvertiseTheirOwnHosts() throws IOException {
        Properties first = learnerConfig("learner-1");
        Properties second = learnerConfig("learner-2");

        assertEquals(first.getProperty("application.id"), second.getProperty("application.id"));
        assertEquals("learner-1", first.getProperty("streamprop.http.host"));
        assertEquals("learner-2", second.getProperty("streamprop.http.host"));
        Map<Object, Object> rest = new java.util.HashMap<>(first);
        rest.put("streamprop.http.host", second.getProperty("streamprop.http.host"));
        assertEquals(second, rest, "the learners' files differ only in streamprop.http.host");
        assertEquals("kafka:9092", first.getProperty("bootstrap.servers"));

        for (String learner : LEARNERS) {
            JsonNode service = services.get(learner);
            assertEquals(learner, service.get("hostname").asText());
            assertEquals(List.of("run", "--config", LEARNER_CONFIG), texts(service.get("command")));
            assertEquals("service_completed_successfully",
                    service.get("depends_on").get("topics").get("condition").asText());
        }
        StreampropConfig config = StreampropConfig.of(first);
        assertEquals("streamprop", config.streamsProperties().getProperty("application.id"));
        assertEquals("learner-1:7070", config.streamsProperties(config.httpPort())
                .getProperty("application.server"), "found by the other learner under its own host name");
    }

    @Test
    void shouldScrapeEachLearnerOnItsHttpPort() throws IOException {
        JsonNode scrape = yaml("ops/prometheus/prometheus.yml").get("scrape_configs").get(0);
        Set<String> targets = new HashSet<>(texts(scrape.get("static_configs").get(0).get("targets")));

        Set<String> expected = new HashSet<>();
        for (String learner : LEARNERS) {
            expected.add(services.get(learner).get("hostname").asText() + ":"
                    + learnerConfig(learner).getProperty("streamprop.http.port"));
        }
        assertEquals(Set.of("learner-1:7070", "learner-2:7070"), expected);
        assertEquals(expected, targets);
        assertEquals("/metrics", scrape.get("metrics_path").asText());
    }

    @Test
    void shouldProvisionThePrometheusDataSourceAndTheDashboard() throws IOException {
        JsonNode source = yaml("ops/grafana/provisioning/datasources/prometheus.yml").get("datasources").get(0);
        assertEquals("http://prometheus:9090", source.get("url").asText());
        String dashboardDir = yaml("ops/grafana/provisioning/dashboards/streamprop.yml")
                .get("providers").get(0).get("options").get("path").asText();
        assertEquals(dashboardDir, containerPath("grafana", "./ops/grafana/dashboards"));
        assertEquals(dashboardDir + "/streamprop.json",
                services.get("grafana").get("environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText());

        JsonNode dashboard = JSON.readTree(ROOT.resolve("ops/grafana/dashboards/streamprop.json").toFile());
        for (JsonNode panel : iterable(dashboard.get("panels"))) {
            if (!panel.get("type").asText().equals("row")) {
                assertEquals(source.get("uid").asText(), panel.get("datasource").get("uid").asText());
            }
        }
    }

    @Test
    void shouldUseOnlyTheContractMetricNamesInTheDashboard() throws IOException {
        JsonNode dashboard = JSON.readTree(ROOT.resolve("ops/grafana/dashboards/streamprop.json").toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : iterable(dashboard.get("panels"))) {
            for (JsonNode target : iterable(panel.path("targets"))) {
                queries.add(target.get("expr").asText());
            }
        }
        for (JsonNode variable : iterable(dashboard.get("templating").get("list"))) {
            queries.add(variable.get("definition").asText());
        }

        Set<String> used = new TreeSet<>();
        for (String query : queries) {
            Set<String> names = metricNames(query);
            assertFalse(names.isEmpty(), "no metric in " + query);
            used.addAll(names);
        }
        assertTrue(CONTRACT_METRICS.containsAll(used), "not in the contract: " + difference(used));
        for (String wanted : List.of("streamprop_model_examples_per_second", "streamprop_model_loss",
                "streamprop_model_accuracy", "streamprop_model_version", "streamprop_dead_letters_total",
                "streamprop_model_snapshot_age_seconds", "kafka_streams_stream_thread_metrics_process_rate",
                "kafka_streams_stream_thread_metrics_commit_latency_avg")) {
            assertTrue(used.contains(wanted), "the dashboard shows " + wanted);
        }
    }

    @Test
    void shouldFindTheMetricNamesOfAQuery() {
        assertEquals(Set.of("streamprop_dead_letters_total"),
                metricNames("sum by (reason) (increase(streamprop_dead_letters_total{model=~\"a|b\"}[1m]))"));
        assertEquals(Set.of("streamprop_model_version"), metricNames("label_values(streamprop_model_version, model)"));
        assertEquals(Set.of("up", "streamprop_model_loss"), metricNames("up * on (instance) streamprop_model_loss"));
    }

    @Test
    void shouldBuildTheImageFromTheShadedJar() throws IOException {
        List<String> dockerfile = Files.readAllLines(ROOT.resolve("Dockerfile"), StandardCharsets.UTF_8);
        assertTrue(dockerfile.stream().anyMatch(line -> line.matches("COPY\\s+target/streamprop\\.jar\\s+\\S+")));
        assertTrue(dockerfile.contains("CMD [\"run\", \"--config\", \"" + LEARNER_CONFIG + "\"]"));
        assertFalse(dockerfile.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT).contains("mvn")
                && line.startsWith("RUN")), "no Maven inside the image");
        for (String line : dockerfile) {
            if (line.startsWith("COPY ") && !line.contains("target/")) {
                assertTrue(Files.exists(ROOT.resolve(line.split("\\s+")[1])), line);
            }
        }
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"), StandardCharsets.UTF_8);
        assertTrue(ignored.contains("!target/streamprop.jar"), "the jar is in the build context");
    }

    /**
     * The metric names in a PromQL query: identifiers left once strings, label matchers, ranges
     * and grouping clauses are removed, other than function names and keywords.
     */
    static Set<String> metricNames(String query) {
        String bare = query.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^\\]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("label_values\\(([^,]+),[^)]*\\)", "$1");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][\\w:]*(\\s*\\()?").matcher(bare);
        while (m.find()) {
            if (m.group(1) == null && !Set.of("and", "or", "unless", "offset", "bool").contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    private Properties learnerConfig(String learner) throws IOException {
        return properties(hostPath(learner, LEARNER_CONFIG));
    }

    /** The repository file that a service mounts at a container path. */
    private String hostPath(String service, String containerPath) {
        for (JsonNode volume : iterable(services.get(service).get("volumes"))) {
            String[] parts = volume.asText().split(":");
            if (parts[1].equals(containerPath)) {
                return parts[0];
            }
        }
        throw new AssertionError(service + " mounts nothing at " + containerPath);
    }

    /** The container path at which a service mounts a repository path. */
    private String containerPath(String service, String hostPath) {
        for (JsonNode volume : iterable(services.get(service).get("volumes"))) {
            String[] parts = volume.asText().split(":");
            if (parts[0].equals(hostPath)) {
                return parts[1];
            }
        }
        throw new AssertionError(service + " does not mount " + hostPath);
    }

    /** The apache/kafka image's environment-to-property rule: _ is ., __ is _, ___ is -. */
    private static String propertyName(String variable) {
        return variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT)
                .replace("___", "-").replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    private static Set<String> difference(Set<String> used) {
        Set<String> extra = new TreeSet<>(used);
        extra.removeAll(CONTRACT_METRICS);
        return extra;
    }

    private static JsonNode yaml(String file) {
        try {
            return YAML.readTree(ROOT.resolve(file).toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static Properties properties(String file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve(file), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node::elements;
    }
}
