package io.streamprop.stats;

import io.streamprop.nn.Activation;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.serde.Rejection;
import java.util.Arrays;

/**
 * One model's statistics as its learner's stream thread keeps them: plain fields, updated per
 * example without allocation or locks. Readers see them through {@link #progress}, an immutable
 * copy replaced every {@value #RECENT_WINDOW} examples and on every training step, snapshot and
 * dead letter.
 */
final class ModelTracker {
    /** Examples over which the recent loss and accuracy are averaged. */
    static final int RECENT_WINDOW = 100;
    /** Samples of the example count kept for throughput, at least a second apart. */
    private static final int RATE_SAMPLES = 16;
    private static final long RATE_SAMPLE_SPACING_MS = 1000;

    final String id;
    /** Tells trackers of the same model apart, for {@link LearningStats#checkpointStamp}. */
    final long serial;

    private long examples;
    private long version;
    private long lastSnapshotTime = -1;
    private final long[] deadLetters = new long[Rejection.values().length];

    // the recent window: tumbling, published when full
    private double recentLossSum;
    private int recentCount;
    private int recentRight;
    private int recentClassified;
    private double recentLoss = Double.NaN;
    private double recentAccuracy = Double.NaN;

    // the curve's open point
    LearningCurve curve = LearningCurve.empty();
    private double pointLossSum;
    private long pointCount;
    private long pointRight;
    private long pointClassified;

    // ring of (time, examples) samples for throughput
    private final long[] sampleTimes = new long[RATE_SAMPLES];
    private final long[] sampleExamples = new long[RATE_SAMPLES];
    private int samples;
    private int nextSample;

    volatile ModelProgress progress;
    /** Odd while a checkpoint of the model is being written; written by the stream thread only. */
    volatile int checkpointSeq;

    ModelTracker(String id, long serial) {
        this.id = id;
        this.serial = serial;
        publish();
    }

    /** Starts over from a model loaded with these counters and its stored curve. */
    void reset(long examplesSeen, long modelVersion, LearningCurve storedCurve) {
        examples = examplesSeen;
        version = modelVersion;
        curve = storedCurve;
        recentLossSum = 0;
        recentCount = 0;
        recentRight = 0;
        recentClassified = 0;
        pointLossSum = 0;
        pointCount = 0;
        pointRight = 0;
        pointClassified = 0;
        // throughput counts from here: the loaded examples were not seen now
        samples = 0;
        nextSample = 0;
        publish();
    }

    /**
     * Counts one test-then-train prediction. Returns true when it closed a point of the curve,
     * which the caller then stores. A point's mean covers its predictions that have a loss.
     */
    boolean onPrediction(NetworkSpec spec, double[] output, double[] target, double loss) {
        examples++;
        if (!Double.isFinite(loss)) {
            // a prediction that has no loss (made before the output layer grew) is only counted
            return false;
        }
        int right = rightClass(spec, output, target);
        recentLossSum += loss;
        recentCount++;
        pointLossSum += loss;
        pointCount++;
        if (right >= 0) {
            recentRight += right;
            recentClassified++;
            pointRight += right;
            pointClassified++;
        }
        if (recentCount == RECENT_WINDOW) {
            recentLoss = recentLossSum / recentCount;
            recentAccuracy = recentClassified == 0 ? Double.NaN : (double) recentRight / recentClassified;
            recentLossSum = 0;
            recentCount = 0;
            recentRight = 0;
            recentClassified = 0;
            publish();
        }
        if (pointCount < curve.window()) {
            return false;
        }
        double accuracy = pointClassified == 0 ? Double.NaN : (double) pointRight / pointClassified;
        curve.add(examples, pointCount, pointLossSum / pointCount, accuracy, System.currentTimeMillis());
        pointLossSum = 0;
        pointCount = 0;
        pointRight = 0;
        pointClassified = 0;
        return true;
    }

    void onStep(long modelVersion) {
        version = modelVersion;
        publish();
    }

    void onSnapshot(long timestamp) {
        lastSnapshotTime = timestamp;
        publish();
    }

    void onDeadLetter(Rejection reason) {
        deadLetters[reason.ordinal()]++;
        publish();
    }

    /**
     * 1 if a classifier predicted the target's class, 0 if not, -1 if the model is not a
     * classifier (the classes as in prediction records: the largest softmax output, or a single
     * sigmoid output of at least 0.5).
     */
    static int rightClass(NetworkSpec spec, double[] output, double[] target) {
        Activation activation = spec.outputActivation();
        if (activation == Activation.SOFTMAX) {
            return argMax(output) == argMax(target) ? 1 : 0;
        }
        if (activation == Activation.SIGMOID && output.length == 1) {
            return (output[0] >= 0.5) == (target[0] >= 0.5) ? 1 : 0;
        }
        return -1;
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    private void publish() {
        long now = System.currentTimeMillis();
        int newest = (nextSample + RATE_SAMPLES - 1) % RATE_SAMPLES;
        if (samples == 0 || now - sampleTimes[newest] >= RATE_SAMPLE_SPACING_MS) {
            sampleTimes[nextSample] = now;
            sampleExamples[nextSample] = examples;
            nextSample = (nextSample + 1) % RATE_SAMPLES;
            samples = Math.min(samples + 1, RATE_SAMPLES);
        }
        // the samples oldest first
        long[] times = new long[samples];
        long[] counts = new long[samples];
        int oldest = (nextSample + RATE_SAMPLES - samples) % RATE_SAMPLES;
        for (int i = 0; i < samples; i++) {
            times[i] = sampleTimes[(oldest + i) % RATE_SAMPLES];
            counts[i] = sampleExamples[(oldest + i) % RATE_SAMPLES];
        }
        double loss = recentLoss;
        double accuracy = recentAccuracy;
        if (Double.isNaN(loss) && recentCount > 0) {
            // no full window yet: the examples so far
            loss = recentLossSum / recentCount;
            accuracy = recentClassified == 0 ? Double.NaN : (double) recentRight / recentClassified;
        }
        progress = new ModelProgress(id, examples, version, loss, accuracy, lastSnapshotTime,
                Arrays.copyOf(deadLetters, deadLetters.length), times, counts);
    }
}
