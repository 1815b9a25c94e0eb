package io.streamprop.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that are missing on a cluster and checks the ones that exist.
 *
 * <p>Running it again changes nothing: an existing topic is never altered, even when it differs
 * from its definition; the difference is logged at warn and listed in the {@link TopicReport}. So
 * is a set of co-partitioned input topics whose partition counts differ on the cluster.
 *
 * <p>When it returns, every topic is known to the broker it asked, so clients can use it at once.
 *
 * <p>Every call waits at most the timeout given at construction, then fails with a
 * {@link TopicCreationException} that {@linkplain TopicCreationException#timedOut() timed out}.
 */
public final class TopicCreator implements AutoCloseable {
    /** How long the creator waits for the cluster unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);
    private static final String CLIENT_ID = "streamprop-topic-creator";
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(50);

    private final Admin admin;
    private final boolean ownsAdmin;
    private final Duration timeout;

    /** A creator that uses {@code admin} and leaves it open on {@link #close()}. */
    public TopicCreator(Admin admin, Duration timeout) {
        this(admin, false, timeout);
    }

    private TopicCreator(Admin admin, boolean ownsAdmin, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin can't be null");
        this.ownsAdmin = ownsAdmin;
        this.timeout = Objects.requireNonNull(timeout, "timeout can't be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is " + timeout + ", expected a positive duration");
        }
    }

    /**
     * A creator with its own Admin client, closed on {@link #close()}.
     *
     * @param clientProperties further Admin client settings, such as {@code security.protocol}
     *        and {@code sasl.jaas.config}; the bootstrap servers and timeouts given here win
     */
    public static TopicCreator connect(String bootstrapServers, Map<String, ?> clientProperties, Duration timeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers can't be null");
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return new TopicCreator(Admin.create(config), true, timeout);
    }

    /** Creates what is missing of {@code definitions}; Streamprop's input topics must be co-partitioned. */
    public TopicReport createMissing(List<TopicDefinition> definitions) {
        return createMissing(definitions, Topics.coPartitionedInputNames());
    }

    /**
     * Creates the topics of {@code definitions} that do not exist, checks those that do.
     *
     * @param coPartitionedNames topics that must share a partition count; names without a
     *        definition in {@code definitions} are ignored
     * @throws IllegalArgumentException when two definitions share a name, or the definitions of
     *         the co-partitioned topics differ in partition count
     * @throws TopicCreationException when the cluster refuses a request or does not answer in time
     */
    public TopicReport createMissing(List<TopicDefinition> definitions, List<String> coPartitionedNames) {
        Map<String, TopicDefinition> byName = byName(definitions);
        List<String> coPartitioned = coPartitionedNames.stream().filter(byName::containsKey)
                .collect(Collectors.toList());
        checkDefinedCoPartitioning(coPartitioned, byName);
        long deadline = System.nanoTime() + timeout.toNanos();

        Set<String> listed = await(admin.listTopics().names(), deadline, "list the topics");
        List<TopicDefinition> missing = definitions.stream().filter(d -> !listed.contains(d.name()))
                .collect(Collectors.toList());
        List<String> created = create(missing, deadline);
        List<String> alreadyPresent = Topics.names(definitions).stream().filter(name -> !created.contains(name))
                .collect(Collectors.toList());

        Map<String, TopicDescription> descriptions = retryWhileUnknown(
                () -> admin.describeTopics(Topics.names(definitions)).allTopicNames(), deadline, "describe the topics");
        Map<String, Integer> partitionsOnCluster = new HashMap<>();
        descriptions.forEach((name, description) -> partitionsOnCluster.put(name, description.partitions().size()));
        List<TopicReport.TopicMismatch> mismatches = checkExisting(alreadyPresent, byName, descriptions, deadline);
        Optional<String> coPartitioningProblem = coPartitioningProblem(coPartitioned, partitionsOnCluster);
        coPartitioningProblem.ifPresent(problem -> log.warn("{}", problem));
        log.info("Checked {} topics: {} created, {} already present, {} differing from their definition",
                definitions.size(), created.size(), alreadyPresent.size(), mismatches.size());
        return new TopicReport(created, alreadyPresent, mismatches, coPartitioningProblem);
    }

    /** Creates the topics and returns the names of those created; the others existed already. */
    private List<String> create(List<TopicDefinition> missing, long deadline) {
        if (missing.isEmpty()) {
            return List.of();
        }
        CreateTopicsResult result = admin.createTopics(missing.stream().map(TopicDefinition::newTopic)
                .collect(Collectors.toList()));
        List<String> created = new ArrayList<>();
        for (TopicDefinition definition : missing) {
            Optional<Integer> partitions = awaitCreation(result, definition.name(), deadline);
            if (partitions.isPresent()) {
                created.add(definition.name());
                log.info("Created topic {} with {} partitions, cleanup.policy={}", definition.name(),
                        partitions.get(), definition.cleanupPolicy().configValue());
            }
        }
        return created;
    }

    /** Closes the Admin client if this creator opened it. */
    @Override
    public void close() {
        if (ownsAdmin) {
            admin.close(timeout);
        }
    }

    private static Map<String, TopicDefinition> byName(List<TopicDefinition> definitions) {
        Map<String, TopicDefinition> byName = new LinkedHashMap<>();
        for (TopicDefinition definition : definitions) {
            if (byName.put(definition.name(), definition) != null) {
                throw new IllegalArgumentException("topic " + definition.name()
                        + " is defined twice, expected one definition per topic");
            }
        }
        return byName;
    }

    private static void checkDefinedCoPartitioning(List<String> coPartitioned, Map<String, TopicDefinition> byName) {
        Map<String, Integer> defined = new LinkedHashMap<>();
        coPartitioned.forEach(name -> defined.put(name, byName.get(name).partitions()));
        if (defined.values().stream().distinct().count() > 1) {
            throw new IllegalArgumentException("the co-partitioned topics are defined with different partition counts ("
                    + partitionCounts(defined) + "), expected one count for all");
        }
    }

    /**
     * The partition count of the new topic, or empty when it exists already: created by someone
     * else meanwhile, or created just before and not yet in the broker's listing.
     */
    private Optional<Integer> awaitCreation(CreateTopicsResult result, String topic, long deadline) {
        try {
            await(result.values().get(topic), deadline, "create topic " + topic);
            return Optional.of(await(result.numPartitions(topic), deadline, "create topic " + topic));
        } catch (TopicCreationException e) {
            if (e.getCause() instanceof TopicExistsException) {
                log.debug("Topic {} was not listed but exists already", topic);
                return Optional.empty();
            }
            throw e;
        }
    }

    private List<TopicReport.TopicMismatch> checkExisting(List<String> existing, Map<String, TopicDefinition> byName,
                                                          Map<String, TopicDescription> descriptions, long deadline) {
        if (existing.isEmpty()) {
            return List.of();
        }
        List<ConfigResource> resources = existing.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).collect(Collectors.toList());
        Map<ConfigResource, Config> configs = retryWhileUnknown(() -> admin.describeConfigs(resources).all(), deadline,
                "describe the configs of the existing topics");
        List<TopicReport.TopicMismatch> mismatches = new ArrayList<>();
        for (String name : existing) {
            TopicDescription description = descriptions.get(name);
            List<String> differences = differences(byName.get(name), description,
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)));
            if (differences.isEmpty()) {
                log.info("Topic {} already exists as defined", name);
            } else {
                log.warn("Topic {} already exists and differs from its definition, left as it is: {}", name,
                        String.join("; ", differences));
                mismatches.add(new TopicReport.TopicMismatch(name, differences));
            }
        }
        return mismatches;
    }

    private static List<String> differences(TopicDefinition definition, TopicDescription description, Config config) {
        List<String> differences = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != definition.partitions()) {
            differences.add("partitions: defined " + definition.partitions() + ", found " + partitions);
        }
        if (!definition.usesBrokerDefaultReplication() && !description.partitions().isEmpty()) {
            int replicas = description.partitions().get(0).replicas().size();
            if (replicas != definition.replicationFactor()) {
                differences.add("replication factor: defined " + definition.replicationFactor() + ", found " + replicas);
            }
        }
        definition.topicConfigs().forEach((name, defined) -> {
            ConfigEntry entry = config == null ? null : config.get(name);
            String found = entry == null ? null : entry.value();
            if (!defined.equals(found)) {
                differences.add(name + ": defined " + defined + ", found " + (found == null ? "no value" : found));
            }
        });
        return differences;
    }

    private static Optional<String> coPartitioningProblem(List<String> coPartitioned,
                                                          Map<String, Integer> partitionsOnCluster) {
        Map<String, Integer> found = new LinkedHashMap<>();
        coPartitioned.forEach(name -> found.put(name, partitionsOnCluster.get(name)));
        if (found.values().stream().distinct().count() <= 1) {
            return Optional.empty();
        }
        return Optional.of("The input topics are not co-partitioned: " + partitionCounts(found)
                + "; Kafka Streams needs the same partition count for all of them");
    }

    private static String partitionCounts(Map<String, Integer> partitions) {
        return partitions.entrySet().stream()
                .map(entry -> entry.getKey() + " has " + entry.getValue() + " partitions")
                .collect(Collectors.joining(", "));
    }

    /**
     * The answer of a request about topics, asked again while the broker does not know one of them
     * yet: a topic just created, by this creator or by someone else, reaches the broker's
     * metadata a moment after the controller has confirmed it.
     */
    private <T> T retryWhileUnknown(Supplier<KafkaFuture<T>> request, long deadlineNanos, String action) {
        while (true) {
            try {
                return await(request.get(), deadlineNanos, action);
            } catch (TopicCreationException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() + RETRY_BACKOFF.toNanos() > deadlineNanos) {
                    throw e;
                }
                log.debug("Will retry to {}: {}", action, e.getMessage());
                sleep(RETRY_BACKOFF, action);
            }
        }
    }

    private static void sleep(Duration duration, String action) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("Interrupted while waiting to " + action, false, e);
        }
    }

    private <T> T await(KafkaFuture<T> future, long deadlineNanos, String action) {
        long remainingNanos = Math.max(0, deadlineNanos - System.nanoTime());
        try {
            return future.get(remainingNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noAnswer(action, cause);
            }
            throw new TopicCreationException("Could not " + action + ": " + cause.getMessage(), false, cause);
        } catch (TimeoutException e) {
            throw noAnswer(action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("Interrupted while waiting to " + action, false, e);
        }
    }

    private TopicCreationException noAnswer(String action, Throwable cause) {
        String limit = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
        return new TopicCreationException("Could not " + action + ": no answer from the cluster within " + limit
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), true, cause);
    }
}
