package io.streamprop.topology;

import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model as the learner holds it in memory: its weights, pending batch, and where its training
 * log stands since the last checkpoint.
 */
final class LiveModel {
    final String id;
    ModelSpec spec;
    Model model;
    MiniBatch pending;
    /** Entries in the training log since the last checkpoint; the next entry's number. */
    int logLength;
    /** Bytes in the training log since the last checkpoint. */
    long logBytes;
    /** Size of the last checkpoint of the weights. */
    long checkpointBytes;
    /** Timestamp of the oldest pending example. */
    long pendingSince;
    /** Offset of the newest pending example, per "topic-partition". */
    final Map<String, Long> pendingOffsets = new TreeMap<>();
    /** Offset of the newest example that the weights reflect, per "topic-partition". */
    final Map<String, Long> learnedOffsets = new TreeMap<>();
    /** Reused output buffer for predictions. */
    double[] output;
    /** Reused target buffer. */
    double[] target;

    LiveModel(String id, ModelSpec spec, Model model) {
        this.id = id;
        replace(spec, model);
    }

    /** Swaps in a model under a new spec; the pending batch must be empty. */
    void replace(ModelSpec newSpec, Model newModel) {
        spec = newSpec;
        model = newModel;
        pending = MiniBatch.forSpec(newModel.spec());
        output = new double[newModel.spec().outputs()];
        target = new double[newModel.spec().outputs()];
    }
}
