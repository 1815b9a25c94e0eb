package io.streamprop.stats;

import io.streamprop.nn.NetworkSpec;
import io.streamprop.serde.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The hooks through which one learner task reports how its models learn. Called on the task's
 * stream thread only. {@link #onPrediction} is on the per-example path: it neither allocates
 * nor locks, except when a point of the curve closes (once per window of examples), which
 * writes the curve to the task's curve store.
 */
public final class StatsRecorder {
    private final LearningStats registry;
    private final KeyValueStore<String, byte[]> curves;
    private final Map<String, ModelTracker> mine = new HashMap<>();
    /** The tracker of the last model reported, the likely next one. */
    private ModelTracker last;

    StatsRecorder(LearningStats registry, KeyValueStore<String, byte[]> curves) {
        this.registry = registry;
        this.curves = curves;
    }

    /**
     * A model was created or loaded by the task: it has seen {@code examples} labelled examples
     * (trained on or pending) and is at {@code version}. Its curve continues from the store.
     */
    public void onLoaded(String modelId, long examples, long version) {
        byte[] stored = curves.get(modelId);
        tracker(modelId).reset(examples, version, stored == null ? LearningCurve.empty() : LearningCurve.decode(stored));
    }

    /** A labelled example was predicted before being learned from, with this loss. */
    public void onPrediction(String modelId, NetworkSpec spec, double[] output, double[] target, double loss) {
        ModelTracker t = tracker(modelId);
        if (t.onPrediction(spec, output, target, loss)) {
            curves.put(modelId, t.curve.encode());
        }
    }

    /** A training step was taken; the model is now at {@code version}. */
    public void onStep(String modelId, long version) {
        tracker(modelId).onStep(version);
    }

    /** A snapshot of the model with this timestamp was emitted. */
    public void onSnapshot(String modelId, long timestamp) {
        tracker(modelId).onSnapshot(timestamp);
    }

    /** A record was dead-lettered; {@code key} is its key (the model id), if any. */
    public void onDeadLetter(Rejection reason, Bytes key) {
        registry.countDeadLetter(reason);
        if (key == null) {
            return;
        }
        // only models this task holds: a key naming no model must not grow the statistics
        ModelTracker t = mine.get(new String(key.get(), StandardCharsets.UTF_8));
        if (t != null) {
            t.onDeadLetter(reason);
        }
    }

    /** The model was deleted: its statistics and curve go too. */
    /** A rebuild of the model left out {@code examples} that the examples topic no longer held. */
    public void onLostOnReplay(String modelId, long examples) {
        registry.countLostOnReplay(examples);
    }

    public void onDeleted(String modelId) {
        ModelTracker t = mine.remove(modelId);
        if (t != null) {
            registry.remove(t);
        }
        if (last == t) {
            last = null;
        }
        curves.delete(modelId);
    }

    /** A checkpoint of the model starts: its weights and training log are about to change together. */
    public void beginCheckpoint(String modelId) {
        tracker(modelId).checkpointSeq++;
    }

    /** The checkpoint begun by {@link #beginCheckpoint} is written. */
    public void endCheckpoint(String modelId) {
        tracker(modelId).checkpointSeq++;
    }

    /** The task closes: its models' statistics leave this instance. */
    public void close() {
        mine.values().forEach(registry::remove);
        mine.clear();
        last = null;
    }

    private ModelTracker tracker(String modelId) {
        ModelTracker t = last;
        if (t != null && t.id.equals(modelId)) {
            return t;
        }
        t = mine.get(modelId);
        if (t == null) {
            t = registry.newTracker(modelId);
            mine.put(modelId, t);
        }
        last = t;
        return t;
    }
}
