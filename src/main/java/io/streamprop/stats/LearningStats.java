package io.streamprop.stats;

import io.streamprop.serde.Rejection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The learning statistics of the models that this instance's learner tasks hold, for the
 * monitoring endpoints. Each task writes through its own {@link StatsRecorder}; readers on any
 * thread get each model's last published {@link ModelProgress}. A model's figures leave with
 * its task, when the task closes or moves to another instance.
 */
public final class LearningStats {
    private final ConcurrentHashMap<String, ModelTracker> models = new ConcurrentHashMap<>();
    private final LongAdder[] deadLetters = new LongAdder[Rejection.values().length];
    private final AtomicLong serials = new AtomicLong();
    private final LongAdder lostOnReplay = new LongAdder();

    public LearningStats() {
        for (int i = 0; i < deadLetters.length; i++) {
            deadLetters[i] = new LongAdder();
        }
    }

    /**
     * A recorder for one learner task, which keeps its models' learning curves in
     * {@code curves} (a store of that task).
     */
    public StatsRecorder recorder(KeyValueStore<String, byte[]> curves) {
        return new StatsRecorder(this, curves);
    }

    public Optional<ModelProgress> progress(String modelId) {
        ModelTracker t = models.get(modelId);
        return t == null ? Optional.empty() : Optional.of(t.progress);
    }

    /** The progress of every model held here, by model id. */
    public List<ModelProgress> allProgress() {
        List<ModelProgress> all = new ArrayList<>();
        for (ModelTracker t : models.values()) {
            all.add(t.progress);
        }
        all.sort(Comparator.comparing(ModelProgress::model));
        return all;
    }

    /** Records dead-lettered for {@code reason} by this instance since it started, for any model or none. */
    public long deadLetters(Rejection reason) {
        return deadLetters[reason.ordinal()].sum();
    }

    /**
     * Examples that rebuilding a model on this instance had to leave out because the examples
     * topic no longer held them (see the learner's training log).
     */
    public long examplesLostOnReplay() {
        return lostOnReplay.sum();
    }

    /**
     * A stamp of the model's stored state, for readers of its stores that must not mix a
     * checkpoint with the training log of another: read the stamp, then the stores, then the
     * stamp again; the reads hold together when both stamps are equal and not -1. It is -1
     * while a checkpoint of the model is being written.
     */
    public long checkpointStamp(String modelId) {
        ModelTracker t = models.get(modelId);
        if (t == null) {
            return 0;
        }
        int seq = t.checkpointSeq;
        return (seq & 1) == 1 ? -1 : (t.serial << 32) | (seq & 0xffffffffL);
    }

    ModelTracker newTracker(String modelId) {
        ModelTracker t = new ModelTracker(modelId, serials.incrementAndGet());
        models.put(modelId, t);
        return t;
    }

    void remove(ModelTracker t) {
        models.remove(t.id, t);
    }

    void countLostOnReplay(long examples) {
        lostOnReplay.add(examples);
    }

    void countDeadLetter(Rejection reason) {
        deadLetters[reason.ordinal()].increment();
    }

    ModelTracker tracker(String modelId) {
        return models.get(modelId);
    }
}
