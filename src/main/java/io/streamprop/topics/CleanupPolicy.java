package io.streamprop.topics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What Kafka does with old records of a topic: delete them by age, or keep the latest per key. */
public enum CleanupPolicy {
    /** Old segments are deleted once older than the topic's retention. */
    DELETE,
    /** The log is compacted: for every key, at least the latest record is kept. */
    COMPACT;

    /** The value of the topic config {@code cleanup.policy}: {@code delete} or {@code compact}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy whose {@link #configValue()} is {@code value}.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static CleanupPolicy fromConfigValue(String value) {
        for (CleanupPolicy policy : values()) {
            if (policy.configValue().equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("cleanup policy is '" + value + "', expected one of "
                + Arrays.stream(values()).map(CleanupPolicy::configValue).collect(Collectors.joining(", ")));
    }
}
