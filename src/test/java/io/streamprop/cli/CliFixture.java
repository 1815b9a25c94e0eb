package io.streamprop.cli;

import io.streamprop.testkit.KafkaCluster;
import io.streamprop.testkit.TopicReader;
import io.streamprop.topics.TopicCreator;
import io.streamprop.topics.TopicDefinition;
import io.streamprop.topics.Topics;
import io.streamprop.topology.StreampropConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@code streamprop} tool against the shared test cluster, with Streamprop topics of its own:
 * uniquely prefixed names, given to the tool in a {@code --config} file as a user would.
 */
final class CliFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int PARTITIONS = 3;

    final String bootstrap = KafkaCluster.bootstrapServers();
    final String prefix = "cli-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    final Path configFile;
    final StreampropConfig config;
    private final KafkaProducer<String, String> producer;

    /** The result of one run of the tool. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit code " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    CliFixture(Path dir) {
        configFile = dir.resolve("streamprop.properties");
        StringBuilder file = new StringBuilder("bootstrap.servers=" + bootstrap + "\n");
        topicSettings().forEach((key, name) -> file.append(key).append('=').append(name).append('\n'));
        try {
            Files.writeString(configFile, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config = StreampropConfig.of(settings());
        List<TopicDefinition> definitions = new ArrayList<>();
        for (TopicDefinition d : Topics.withPrefix(prefix, Topics.all())) {
            definitions.add(d.withPartitions(PARTITIONS));
        }
        try (TopicCreator creator = TopicCreator.connect(bootstrap, Map.of(), TIMEOUT)) {
            creator.createMissing(definitions);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** Streamprop's settings for these topics, as a learner would take them. */
    Map<String, String> settings() {
        Map<String, String> settings = new java.util.HashMap<>(topicSettings());
        settings.put("bootstrap.servers", bootstrap);
        return settings;
    }

    private Map<String, String> topicSettings() {
        return Map.of(StreampropConfig.MODELS_TOPIC, prefix + Topics.MODELS.name(),
                StreampropConfig.EXAMPLES_TOPIC, prefix + Topics.EXAMPLES.name(),
                StreampropConfig.LABELS_TOPIC, prefix + Topics.LABELS.name(),
                StreampropConfig.QUERIES_TOPIC, prefix + Topics.QUERIES.name(),
                StreampropConfig.PREDICTIONS_TOPIC, prefix + Topics.PREDICTIONS.name(),
                StreampropConfig.SNAPSHOTS_TOPIC, prefix + Topics.SNAPSHOTS.name(),
                StreampropConfig.DEAD_LETTERS_TOPIC, prefix + Topics.DEAD_LETTERS.name(),
                StreampropConfig.METRICS_TOPIC, prefix + Topics.METRICS.name());
    }

    /** Runs the tool with exactly these arguments. */
    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Streamprop().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the tool with these arguments and {@code --config} pointing at this fixture's topics. */
    Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(configFile.toString());
        return run(all.toArray(new String[0]));
    }

    /** Sends a record and waits until the cluster has it. */
    void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("could not send to " + topic, e);
        }
    }

    /** Every committed value of a topic, in offset order per partition. */
    List<String> values(String topic) {
        return TopicReader.readValues(bootstrap, topic, IsolationLevel.READ_COMMITTED, TIMEOUT);
    }

    /** Deletes this fixture's topics. */
    @Override
    public void close() {
        producer.close();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> ours = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(prefix)).collect(Collectors.toList());
            admin.deleteTopics(ours).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("could not delete the topics of " + prefix, e);
        }
    }
}
