package io.streamprop.topology;

import java.util.Map;
import java.util.SortedSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads examples back from the examples topic by offset, for replaying a model's training log
 * after a restart or a rebalance.
 */
interface ExampleFetcher extends AutoCloseable {
    /**
     * The values of the committed records of {@code partition} at {@code offsets}. An offset
     * whose record no longer exists (deleted by retention) is absent from the answer.
     */
    Map<Long, byte[]> fetch(TopicPartition partition, SortedSet<Long> offsets);

    @Override
    void close();
}
