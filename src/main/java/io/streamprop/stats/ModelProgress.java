package io.streamprop.stats;

import io.streamprop.serde.Rejection;
import java.util.OptionalDouble;

/**
 * How a model is learning, as its learner last published it: an immutable view that any thread
 * may read. Figures cover the time since this instance took the model on, except
 * {@link #examples()}, which counts from the model's creation.
 */
public final class ModelProgress {
    /** Throughput is measured over about this much time before now. */
    static final long RATE_SPAN_MS = 10_000;

    private final String model;
    private final long examples;
    private final long version;
    private final double recentLoss;
    private final double recentAccuracy;
    private final long lastSnapshotTime;
    private final long[] deadLetters;
    private final long[] sampleTimes;
    private final long[] sampleExamples;

    ModelProgress(String model, long examples, long version, double recentLoss, double recentAccuracy,
                  long lastSnapshotTime, long[] deadLetters, long[] sampleTimes, long[] sampleExamples) {
        this.model = model;
        this.examples = examples;
        this.version = version;
        this.recentLoss = recentLoss;
        this.recentAccuracy = recentAccuracy;
        this.lastSnapshotTime = lastSnapshotTime;
        this.deadLetters = deadLetters;
        this.sampleTimes = sampleTimes;
        this.sampleExamples = sampleExamples;
    }

    public String model() {
        return model;
    }

    /** Labelled examples predicted and learned from (test, then train) since the model was created. */
    public long examples() {
        return examples;
    }

    /** Training steps applied. */
    public long version() {
        return version;
    }

    /** Mean prediction loss over the last window of examples; NaN before the first example. */
    public double recentLoss() {
        return recentLoss;
    }

    /** Share of right classes over the last window of examples; NaN for other models. */
    public double recentAccuracy() {
        return recentAccuracy;
    }

    public boolean isClassifier() {
        return !Double.isNaN(recentAccuracy);
    }

    /** Timestamp (epoch milliseconds) of the last snapshot emitted here; -1 if none yet. */
    public long lastSnapshotTime() {
        return lastSnapshotTime;
    }

    /** Seconds from the last snapshot to {@code nowMs}; empty if there was none here. */
    public OptionalDouble snapshotAgeSeconds(long nowMs) {
        return lastSnapshotTime < 0 ? OptionalDouble.empty()
                : OptionalDouble.of(Math.max(0, nowMs - lastSnapshotTime) / 1000.0);
    }

    /** Records of this model dead-lettered for {@code reason} since this instance took it on. */
    public long deadLetters(Rejection reason) {
        return deadLetters[reason.ordinal()];
    }

    /**
     * Examples per second over about the last {@value #RATE_SPAN_MS} ms before {@code nowMs}; it
     * falls towards zero once the model gets no more examples.
     */
    public double examplesPerSecond(long nowMs) {
        int n = sampleTimes.length;
        if (n == 0) {
            return 0;
        }
        // the newest sample at least the span old, or else the oldest one
        int ref = 0;
        for (int i = n - 1; i >= 0; i--) {
            if (sampleTimes[i] <= nowMs - RATE_SPAN_MS) {
                ref = i;
                break;
            }
        }
        long elapsed = nowMs - sampleTimes[ref];
        return elapsed <= 0 ? 0 : (examples - sampleExamples[ref]) * 1000.0 / elapsed;
    }
}
