package io.streamprop.topology;

import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model as the learner holds it in memory: its weights, pending batch with where each pending
 * example came from, and where its training log stands since the last checkpoint.
 */
final class LiveModel {
    /** {@link #logStartedAt} when the log holds no references. */
    static final long NO_REFERENCES = Long.MIN_VALUE;

    final String id;
    ModelSpec spec;
    Model model;
    MiniBatch pending;
    /** Per pending example, in batch order: record timestamp, and partition and offset in the examples topic. */
    long[] pendingTimestamps;
    int[] pendingPartitions;
    long[] pendingOffsets;
    /** Entries in the training log since the last checkpoint; the next entry's number. */
    int logLength;
    /** Bytes in the training log since the last checkpoint. */
    long logBytes;
    /** Training steps in the log since the last checkpoint. */
    int logSteps;
    /** Log entry of the chunk of references still growing, or -1 when the next reference starts one. */
    int openChunk = -1;
    /** Index in the pending batch of the first example of the open chunk. */
    int openChunkStart;
    /** Processing time at which the log's oldest reference was written, or {@link #NO_REFERENCES}. */
    long logStartedAt = NO_REFERENCES;
    /** Size of the last checkpoint of the weights. */
    long checkpointBytes;
    /** Timestamp of the oldest pending example. */
    long pendingSince;
    /** Offset of the newest example that the weights reflect, per "topic-partition". */
    final Map<String, Long> learnedOffsets = new TreeMap<>();
    /** The class names, in unit order, when the model's labels are names; else null. */
    ClassNames classes;
    /** Whether the model has been given numeric class labels, which rules out names. */
    boolean numericClasses;
    /** Reused output buffer for predictions. */
    double[] output;
    /** Reused target buffer. */
    double[] target;
    /** Reused feature buffer, for examples read back from the examples topic. */
    double[] features;
    /** The prequential evaluation and drift detector, kept by {@link ModelEvaluator}. */
    ModelEvaluation evaluation;
    /** The spec {@link #evaluation} last took its settings from. */
    ModelSpec evaluatedSpec;

    LiveModel(String id, ModelSpec spec, Model model) {
        this.id = id;
        replace(spec, model);
    }

    /** Swaps in a model under a new spec; the pending batch must be empty. */
    void replace(ModelSpec newSpec, Model newModel) {
        spec = newSpec;
        model = newModel;
        pending = MiniBatch.forSpec(newModel.spec());
        int capacity = pending.capacity();
        pendingTimestamps = new long[capacity];
        pendingPartitions = new int[capacity];
        pendingOffsets = new long[capacity];
        output = new double[newModel.spec().outputs()];
        target = new double[newModel.spec().outputs()];
        features = new double[newModel.spec().inputs()];
    }

    /** Adds an example, whose target is in {@link #target}, to the pending batch, with where it came from. */
    void addPending(double[] features, long timestamp, int partition, long offset) {
        int i = pending.size();
        pending.add(features, target);
        notePending(i, timestamp, partition, offset);
    }

    /**
     * Predicts an example into {@link #output} and returns its loss against {@link #target},
     * then adds it to the pending batch with that forward pass (see {@link Model#predictAndAdd}).
     */
    double predictAndAdd(double[] features, long timestamp, int partition, long offset) {
        int i = pending.size();
        double loss = model.predictAndAdd(features, target, output, pending);
        notePending(i, timestamp, partition, offset);
        return loss;
    }

    private void notePending(int i, long timestamp, int partition, long offset) {
        pendingTimestamps[i] = timestamp;
        pendingPartitions[i] = partition;
        pendingOffsets[i] = offset;
    }

    /**
     * Marks the pending examples as learned: records the newest offset of each partition of
     * {@code topic} among them and empties the batch.
     */
    void clearPending(String topic) {
        int last = -1;
        String key = null;
        for (int i = 0; i < pending.size(); i++) {
            if (key == null || pendingPartitions[i] != last) {
                last = pendingPartitions[i];
                key = topic + "-" + last;
            }
            learnedOffsets.put(key, pendingOffsets[i]);
        }
        pending.clear();
    }

    /** "topic-partition@offset" of the newest pending example, for messages. */
    String newestPending(String topic) {
        int i = pending.size() - 1;
        return i < 0 ? "none" : topic + "-" + pendingPartitions[i] + "@" + pendingOffsets[i];
    }
}
