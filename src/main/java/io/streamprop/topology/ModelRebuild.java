package io.streamprop.topology;

import io.streamprop.nn.Model;
import io.streamprop.nn.ModelCodec;
import io.streamprop.serde.BadRecordException;
import io.streamprop.serde.ExampleParser;
import io.streamprop.serde.ParsedExample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Rebuilds a model from what the stores hold: its checkpoint, then the entries of its training
 * log replayed in order, examples logged by reference read back from the examples topic first.
 * The learner does it when it loads a model; queries do it to predict with the model as the
 * learner has it.
 */
final class ModelRebuild {
    /** What a replay did: training steps taken, and logged examples the topic no longer held. */
    record Replayed(int steps, int lost, boolean references) {
    }

    /** Told of each example as it joins the pending batch during a replay. */
    interface ReplayListener {
        /** Ignores everything. */
        ReplayListener NONE = new ReplayListener() {
            @Override
            public void referencedExample(LiveModel lm, double[] features) {
            }

            @Override
            public void inlineExample(LiveModel lm, double[] features, int entry) {
            }
        };

        /**
         * An example logged by reference, read back: its features, its target in {@code lm.target};
         * the model is as it was when the example came.
         */
        void referencedExample(LiveModel lm, double[] features);

        /** An example logged inline, at position {@code entry} of the log; its target in {@code lm.target}. */
        void inlineExample(LiveModel lm, double[] features, int entry);
    }

    private ModelRebuild() {
    }

    /** The model of a checkpoint (weights and metadata), with an empty pending batch. */
    static LiveModel fromCheckpoint(String modelId, byte[] state, byte[] metaBytes) {
        Model model = ModelCodec.decode(state);
        ModelMeta meta = metaBytes == null ? new ModelMeta(ModelSpec.DEFAULT_SNAPSHOT_EVERY, Map.of())
                : ModelMeta.decode(metaBytes);
        LiveModel lm = new LiveModel(modelId, new ModelSpec(model.spec(), meta.snapshotEvery, false, meta.drift),
                model);
        lm.learnedOffsets.putAll(meta.learnedOffsets);
        lm.classes = meta.classNames == null ? null : new ClassNames(meta.classNames);
        lm.numericClasses = meta.numericClasses;
        lm.checkpointBytes = state.length;
        return lm;
    }

    /**
     * Replays {@code entries}, the log entries that follow what {@code lm} holds, on it: an
     * example joins the pending batch, a step marker trains on it. Examples logged by reference
     * are read with {@code fetcher} and parsed with {@code parser}; one that is gone or no longer
     * parses as it did is skipped and counted as lost, and so is a step left with no example.
     */
    static Replayed replay(LiveModel lm, List<byte[]> entries, ExampleFetcher fetcher, ExampleParser parser,
                           String examplesTopic) {
        return replay(lm, entries, fetcher, parser, examplesTopic, ReplayListener.NONE);
    }

    /** As {@link #replay(LiveModel, List, ExampleFetcher, ExampleParser, String)}, telling {@code listener}. */
    static Replayed replay(LiveModel lm, List<byte[]> entries, ExampleFetcher fetcher, ExampleParser parser,
                           String examplesTopic, ReplayListener listener) {
        Map<Integer, SortedSet<Long>> wanted = new TreeMap<>();
        for (byte[] entry : entries) {
            if (TrainingLog.kind(entry) == TrainingLog.REFS) {
                for (int i = 0; i < TrainingLog.refCount(entry); i++) {
                    wanted.computeIfAbsent(TrainingLog.refPartition(entry, i), p -> new TreeSet<>())
                            .add(TrainingLog.refOffset(entry, i));
                }
            }
        }
        Map<Integer, Map<Long, byte[]>> fetched = new HashMap<>();
        wanted.forEach((partition, offsets) -> fetched.put(partition,
                fetcher.fetch(new TopicPartition(examplesTopic, partition), offsets)));

        double[] features = new double[lm.model.spec().inputs()];
        int steps = 0;
        int lost = 0;
        for (byte[] entry : entries) {
            lm.logLength++;
            lm.logBytes += entry.length;
            switch (TrainingLog.kind(entry)) {
                case TrainingLog.STEP -> {
                    lm.logSteps++;
                    // a step whose examples are all lost has nothing to train on, and is skipped
                    if (!lm.pending.isEmpty()) {
                        lm.model.step(lm.pending);
                        lm.clearPending(examplesTopic);
                        steps++;
                    }
                }
                case TrainingLog.EXAMPLE -> {
                    TrainingLog.readExample(entry, features, lm.target);
                    listener.inlineExample(lm, features, lm.logLength - 1);
                    replayExample(lm, features, TrainingLog.timestamp(entry), TrainingLog.partition(entry),
                            TrainingLog.offset(entry));
                }
                case TrainingLog.REACTION -> ModelEvaluator.apply(lm, TrainingLog.reactionOf(entry),
                        TrainingLog.reactionLearningRateFactor(entry), TrainingLog.reactionBoostSteps(entry));
                case TrainingLog.REFS -> {
                    for (int i = 0; i < TrainingLog.refCount(entry); i++) {
                        int partition = TrainingLog.refPartition(entry, i);
                        long offset = TrainingLog.refOffset(entry, i);
                        byte[] value = fetched.get(partition).get(offset);
                        if (value == null || !decodeForReplay(lm, parser, value)) {
                            lost++;
                            continue;
                        }
                        listener.referencedExample(lm, lm.features);
                        replayExample(lm, lm.features, TrainingLog.refTimestamp(entry, i), partition, offset);
                    }
                }
                default -> throw new IllegalStateException("training log entry of unknown kind "
                        + TrainingLog.kind(entry) + " for model '" + lm.id + "'");
            }
        }
        return new Replayed(steps, lost, !wanted.isEmpty());
    }

    /** Examples in log entries: one per example entry, one per reference. */
    static int examplesIn(List<byte[]> entries) {
        int n = 0;
        for (byte[] entry : entries) {
            byte kind = TrainingLog.kind(entry);
            n += kind == TrainingLog.EXAMPLE ? 1 : kind == TrainingLog.REFS ? TrainingLog.refCount(entry) : 0;
        }
        return n;
    }

    private static void replayExample(LiveModel lm, double[] features, long timestamp, int partition, long offset) {
        if (lm.pending.isEmpty()) {
            lm.pendingSince = timestamp;
        }
        lm.addPending(features, timestamp, partition, offset);
    }

    /**
     * Parses an example read back for replay into the model's feature and target buffers; false
     * when it no longer parses as it did (which would mean the topic was rewritten).
     */
    private static boolean decodeForReplay(LiveModel lm, ExampleParser parser, byte[] value) {
        try {
            ParsedExample example = parser.parse(value);
            if (example.features().length != lm.model.spec().inputs() || example.label() == null) {
                return false;
            }
            if (example.label().isName()) {
                int unit = lm.classes == null ? -1 : lm.classes.indexOf(example.label().name());
                if (unit < 0) {
                    return false;
                }
                java.util.Arrays.fill(lm.target, 0.0);
                lm.target[unit] = 1.0;
            } else {
                LabelEncoder.encode(example.label(), lm.model.spec(), lm.target);
            }
            System.arraycopy(example.features(), 0, lm.features, 0, example.features().length);
            return true;
        } catch (BadRecordException e) {
            return false;
        }
    }
}
