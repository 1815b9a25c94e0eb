package io.streamprop.topics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TopicCreator} found and did on a cluster.
 *
 * @param created the topics it created, as defined
 * @param alreadyPresent the topics that existed before, whether or not as defined
 * @param mismatches the existing topics that differ from their definition, with how
 * @param coPartitioningProblem set when the co-partitioned input topics do not all have the same
 *        partition count on the cluster
 */
public record TopicReport(List<String> created, List<String> alreadyPresent, List<TopicMismatch> mismatches,
                          Optional<String> coPartitioningProblem) {
    public TopicReport {
        created = List.copyOf(created);
        alreadyPresent = List.copyOf(alreadyPresent);
        mismatches = List.copyOf(mismatches);
        Objects.requireNonNull(coPartitioningProblem, "coPartitioningProblem can't be null");
    }

    /** Whether every topic now exists as defined, and the inputs are co-partitioned. */
    public boolean allAsDefined() {
        return mismatches.isEmpty() && coPartitioningProblem.isEmpty();
    }

    /**
     * An existing topic that differs from its definition. The topic is left as it is.
     *
     * @param topic the topic name
     * @param differences one sentence per difference, such as
     *        {@code "partitions: defined 6, found 3"}
     */
    public record TopicMismatch(String topic, List<String> differences) {
        public TopicMismatch {
            Objects.requireNonNull(topic, "topic can't be null");
            differences = List.copyOf(differences);
        }
    }
}
