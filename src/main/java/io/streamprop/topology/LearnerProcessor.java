package io.streamprop.topology;

import io.streamprop.nn.InvalidSpecException;
import io.streamprop.nn.Model;
import io.streamprop.nn.ModelCodec;
import io.streamprop.nn.StepResult;
import io.streamprop.serde.BadRecordException;
import io.streamprop.serde.ExampleParser;
import io.streamprop.serde.ParsedExample;
import io.streamprop.serde.Rejection;
import io.streamprop.stats.LearningStats;
import io.streamprop.stats.StatsRecorder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner: one instance per task, fed by the models, examples and queries topics, which are
 * co-partitioned by model id. For a labelled example it predicts with the current weights,
 * emits that prediction, then adds the example to the model's pending batch, and trains when the
 * batch is full. A partial batch is trained on once the stream time has moved on by the
 * configured wait since its oldest example.
 *
 * <p>State: each model's weights are checkpointed to a store now and then, and every example
 * and training step since goes to the model's training log; replaying the log on the checkpoint
 * rebuilds the exact model and its pending batch. A checkpoint is written when the log has grown
 * as large as the model state, so the changelog carries about twice the examples' bytes rather
 * than the whole model at every commit. Decoded models stay in memory between records.
 */
final class LearnerProcessor implements Processor<Bytes, byte[], Bytes, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(LearnerProcessor.class);
    /** Most training steps between two checkpoints, which bounds the replay after a failure. */
    static final int MAX_STEPS_BETWEEN_CHECKPOINTS = 100;

    private final StreampropConfig config;
    private final ExampleParser parser;
    private final String softwareVersion;
    private final long partialBatchWaitMs;
    private final LearningStats learningStats;
    private StatsRecorder stats;
    private ProcessorContext<Bytes, byte[]> context;
    private KeyValueStore<String, byte[]> weights;
    private KeyValueStore<String, byte[]> metas;
    private KeyValueStore<String, byte[]> trainingLog;
    private LearnerMetrics metrics;
    private final Map<String, LiveModel> live = new HashMap<>();
    /** Models with a pending batch, oldest first; entries may be stale and are checked. */
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();

    private record Deadline(long pendingSince, String modelId) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline o) {
            int c = Long.compare(pendingSince, o.pendingSince);
            return c != 0 ? c : modelId.compareTo(o.modelId);
        }
    }

    LearnerProcessor(StreampropConfig config, String softwareVersion, LearningStats learningStats) {
        this.config = config;
        this.learningStats = learningStats;
        this.parser = new ExampleParser(config.maxFeatures());
        this.softwareVersion = softwareVersion;
        this.partialBatchWaitMs = config.partialBatchWaitMs();
    }

    @Override
    public void init(ProcessorContext<Bytes, byte[]> context) {
        this.context = context;
        weights = context.getStateStore(LearnerTopology.WEIGHTS_STORE);
        metas = context.getStateStore(LearnerTopology.META_STORE);
        trainingLog = context.getStateStore(LearnerTopology.LOG_STORE);
        metrics = new LearnerMetrics(context.metrics(), context.taskId().toString());
        stats = learningStats.recorder(context.getStateStore(LearnerTopology.CURVES_STORE));
        // the oldest pending example of each model: the first example after the last step
        Map<String, Long> pendingSince = new HashMap<>();
        try (KeyValueIterator<String, byte[]> all = trainingLog.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                String model = TrainingLog.modelOf(entry.key);
                if (TrainingLog.kind(entry.value) == TrainingLog.STEP) {
                    pendingSince.remove(model);
                } else {
                    pendingSince.putIfAbsent(model, TrainingLog.timestamp(entry.value));
                }
            }
        }
        pendingSince.forEach((model, since) -> deadlines.add(new Deadline(since, model)));
        log.info("Task {} initialised: {} models with a pending batch", context.taskId(), pendingSince.size());
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
        OutputRecords.Origin origin = origin(record);
        trainStalePartialBatches(record.timestamp(), origin);
        if (record.key() == null) {
            deadLetter(Rejection.MISSING_KEY, "the record has no key; the key must be the model id",
                    origin, record);
            return;
        }
        String modelId = new String(record.key().get(), StandardCharsets.UTF_8);
        String topic = origin.topic();
        if (topic.equals(config.examplesTopic())) {
            onExample(modelId, record, origin, true);
        } else if (topic.equals(config.queriesTopic())) {
            onExample(modelId, record, origin, false);
        } else if (topic.equals(config.modelsTopic())) {
            onSpec(modelId, record, origin);
        } else {
            throw new IllegalStateException("record from unexpected topic " + topic);
        }
    }

    private void onExample(String modelId, Record<Bytes, byte[]> record, OutputRecords.Origin origin,
                           boolean labelled) {
        try {
            ParsedExample example = parser.parse(record.value());
            LiveModel lm = load(modelId);
            if (lm == null) {
                throw new BadRecordException(Rejection.UNKNOWN_MODEL, "no model '" + modelId
                        + "': produce its spec to " + config.modelsTopic() + " first");
            }
            int inputs = lm.model.spec().inputs();
            if (example.features().length != inputs) {
                throw new BadRecordException(Rejection.WRONG_FEATURE_COUNT, "features has "
                        + example.features().length + " values, model '" + modelId + "' expects " + inputs);
            }
            if (!labelled) {
                lm.model.predict(example.features(), lm.output);
                emitPrediction(lm, example, Double.NaN, origin, record);
                metrics.query();
                return;
            }
            if (example.label() == null) {
                throw new BadRecordException(Rejection.MISSING_LABEL, "an example on "
                        + config.examplesTopic() + " needs a \"label\"; send unlabelled ones to "
                        + config.queriesTopic());
            }
            LabelEncoder.encode(example.label(), lm.model.spec(), lm.target);

            // test, then train: the prediction uses the weights as they are before this example
            double loss = lm.model.predictAndScore(example.features(), lm.target, lm.output);
            stats.onPrediction(lm.id, lm.model.spec(), lm.output, lm.target, loss);
            emitPrediction(lm, example, loss, origin, record);
            metrics.example();
            addToPending(lm, example.features(), origin);
            if (lm.pending.isFull()) {
                train(lm, origin, record);
            }
        } catch (BadRecordException e) {
            deadLetter(e.rejection(), e.getMessage(), origin, record);
        }
    }

    private void onSpec(String modelId, Record<Bytes, byte[]> record, OutputRecords.Origin origin) {
        if (record.value() == null) {
            deleteModel(modelId, origin, record);
            return;
        }
        ModelSpec spec;
        try {
            spec = ModelSpec.fromJson(record.value());
        } catch (InvalidSpecException e) {
            deadLetter(Rejection.INVALID_SPEC, e.getMessage(), origin, record);
            return;
        }
        LiveModel lm = load(modelId);
        if (lm == null || spec.reset()) {
            if (lm != null) {
                deleteModel(modelId, origin, null);
            }
            create(modelId, spec, origin, record);
            return;
        }
        if (!lm.model.spec().sameShapeAs(spec.network())) {
            deadLetter(Rejection.SHAPE_CHANGE, "spec changes the layers of model '" + modelId + "' from "
                    + lm.model.spec().layers() + " to " + spec.network().layers()
                    + "; add \"reset\": true to replace the model with a new one", origin, record);
            return;
        }
        if (lm.pending.size() > 0) {
            // the examples already waiting are trained on under the spec they arrived under
            train(lm, origin, record);
        }
        if (!lm.model.spec().equals(spec.network())) {
            lm.replace(spec, lm.model.withSpec(spec.network()));
            log.info("Model '{}' takes a new spec from {}: its hyper-parameters apply from update {}",
                    modelId, describe(origin), lm.model.updatesApplied() + 1);
        } else {
            lm.spec = spec;
        }
        checkpoint(lm);
    }

    private void create(String modelId, ModelSpec spec, OutputRecords.Origin origin, Record<Bytes, byte[]> record) {
        Model model = Model.create(spec.network());
        LiveModel lm = new LiveModel(modelId, spec, model);
        live.put(modelId, lm);
        stats.onLoaded(modelId, 0, 0);
        checkpoint(lm);
        emitSnapshot(lm, record);
        log.info("Created model '{}' ({} layers {}, {} parameters) from {}", modelId,
                spec.network().depth(), spec.network().layers(), model.parameterCount(), describe(origin));
    }

    private void deleteModel(String modelId, OutputRecords.Origin origin, Record<Bytes, byte[]> tombstone) {
        LiveModel lm = load(modelId);
        if (lm == null) {
            return;
        }
        clearLog(lm);
        weights.delete(modelId);
        metas.delete(modelId);
        live.remove(modelId);
        stats.onDeleted(modelId);
        if (tombstone != null) {
            context.forward(new Record<Bytes, byte[]>(tombstone.key(), null, tombstone.timestamp()),
                    LearnerTopology.SNAPSHOTS_SINK);
            log.info("Deleted model '{}' on a tombstone at {}", modelId, describe(origin));
        }
    }

    private void addToPending(LiveModel lm, double[] features, OutputRecords.Origin origin) {
        if (lm.pending.isEmpty()) {
            lm.pendingSince = origin.timestamp();
            deadlines.add(new Deadline(lm.pendingSince, lm.id));
        }
        lm.pending.add(features, lm.target);
        byte[] entry = TrainingLog.example(origin.timestamp(), origin.partition(), origin.offset(), features,
                lm.target);
        appendToLog(lm, entry);
        lm.pendingOffsets.put(origin.topicPartition(), origin.offset());
    }

    /** Trains {@code lm} on its pending batch, which must not be empty, and empties it. */
    private void train(LiveModel lm, OutputRecords.Origin origin, Record<Bytes, byte[]> trigger) {
        StepResult result = lm.model.step(lm.pending);
        lm.pending.clear();
        stats.onStep(lm.id, lm.model.updatesApplied());
        String batchOffsets = lm.pendingOffsets.toString();
        lm.learnedOffsets.putAll(lm.pendingOffsets);
        lm.pendingOffsets.clear();
        appendToLog(lm, TrainingLog.step());
        if (lm.logBytes >= lm.checkpointBytes
                || lm.logLength >= MAX_STEPS_BETWEEN_CHECKPOINTS * (lm.pending.capacity() + 1)) {
            checkpoint(lm);
        }
        if (!result.applied()) {
            deadLetter(Rejection.STEP_REJECTED, "training step of model '" + lm.id + "' on "
                    + result.examples() + " examples (the last at offsets " + batchOffsets
                    + ") was not applied: " + result.rejection(), origin, trigger);
            return;
        }
        metrics.update();
        log.debug("Model '{}' trained on {} examples: version {}, batch loss {}", lm.id, result.examples(),
                lm.model.updatesApplied(), result.loss());
        int every = lm.spec.snapshotEvery();
        if (every > 0 && lm.model.updatesApplied() % every == 0) {
            emitSnapshot(lm, trigger);
        }
    }

    /** Trains every model whose oldest pending example is older than the wait. */
    private void trainStalePartialBatches(long now, OutputRecords.Origin origin) {
        while (!deadlines.isEmpty() && deadlines.peek().pendingSince() <= now - partialBatchWaitMs) {
            Deadline d = deadlines.poll();
            LiveModel lm = load(d.modelId());
            if (lm == null || lm.pending.isEmpty() || lm.pendingSince != d.pendingSince()) {
                continue;
            }
            log.debug("Model '{}' trains on a partial batch of {} after {} ms of stream time",
                    lm.id, lm.pending.size(), now - d.pendingSince());
            train(lm, origin, null);
        }
    }

    private void appendToLog(LiveModel lm, byte[] entry) {
        trainingLog.put(TrainingLog.key(lm.id, lm.logLength), entry);
        lm.logLength++;
        lm.logBytes += entry.length;
    }

    /**
     * Writes the weights and metadata and empties the training log. The pending batch, if any,
     * goes back into the log after the checkpoint, so that nothing waiting is lost.
     */
    private void checkpoint(LiveModel lm) {
        byte[] state = ModelCodec.encode(lm.model);
        stats.beginCheckpoint(lm.id);
        weights.put(lm.id, state);
        metas.put(lm.id, new ModelMeta(lm.spec.snapshotEvery(), lm.learnedOffsets).encode());
        clearLog(lm);
        stats.endCheckpoint(lm.id);
        lm.checkpointBytes = state.length;
        // a checkpoint only happens with an empty pending batch (after a step, or on a new spec)
        if (!lm.pending.isEmpty()) {
            throw new IllegalStateException("checkpoint of model '" + lm.id + "' with examples pending");
        }
    }

    private void clearLog(LiveModel lm) {
        for (int seq = 0; seq < lm.logLength; seq++) {
            trainingLog.delete(TrainingLog.key(lm.id, seq));
        }
        lm.logLength = 0;
        lm.logBytes = 0;
    }

    /** The model from memory, or rebuilt from its checkpoint and training log; null if none. */
    private LiveModel load(String modelId) {
        LiveModel lm = live.get(modelId);
        if (lm != null) {
            return lm;
        }
        byte[] state = weights.get(modelId);
        if (state == null) {
            return null;
        }
        lm = ModelRebuild.fromCheckpoint(modelId, state, metas.get(modelId));
        int steps = replayLog(lm);
        live.put(modelId, lm);
        stats.onLoaded(modelId, lm.model.examplesSeen() + lm.pending.size(), lm.model.updatesApplied());
        log.debug("Loaded model '{}' at version {}, replaying {} steps and {} pending examples from its log",
                modelId, lm.model.updatesApplied(), steps, lm.pending.size());
        return lm;
    }

    /** Replays the training log on the checkpoint just loaded; returns the number of steps. */
    private int replayLog(LiveModel lm) {
        double[] features = new double[lm.model.spec().inputs()];
        String topic = config.examplesTopic();
        int steps = 0;
        try (KeyValueIterator<String, byte[]> entries = trainingLog.range(TrainingLog.firstKey(lm.id),
                TrainingLog.lastKey(lm.id))) {
            while (entries.hasNext()) {
                byte[] entry = entries.next().value;
                lm.logLength++;
                lm.logBytes += entry.length;
                if (ModelRebuild.replay(lm, entry, features, topic)) {
                    steps++;
                }
            }
        }
        return steps;
    }

    private void emitPrediction(LiveModel lm, ParsedExample example, double loss,
                                OutputRecords.Origin origin, Record<Bytes, byte[]> record) {
        byte[] value = OutputRecords.prediction(lm.id, example, lm.model.updatesApplied(), lm.output,
                lm.model.spec(), loss, origin);
        context.forward(record.withValue(value), LearnerTopology.PREDICTIONS_SINK);
    }

    private void emitSnapshot(LiveModel lm, Record<Bytes, byte[]> trigger) {
        long timestamp = trigger == null ? context.currentStreamTimeMs() : trigger.timestamp();
        byte[] value = OutputRecords.snapshot(lm.id, lm.model, lm.spec, lm.learnedOffsets, timestamp,
                softwareVersion);
        Bytes key = Bytes.wrap(lm.id.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(key, value, timestamp), LearnerTopology.SNAPSHOTS_SINK);
        stats.onSnapshot(lm.id, timestamp);
        log.info("Snapshot of model '{}' at version {} ({} bytes)", lm.id, lm.model.updatesApplied(),
                value.length);
    }

    private void deadLetter(Rejection reason, String message, OutputRecords.Origin origin,
                            Record<Bytes, byte[]> record) {
        metrics.deadLetter(reason);
        stats.onDeadLetter(reason, record == null ? null : record.key());
        log.warn("Dead-lettered record {}: {}: {}", describe(origin), reason.code(), message);
        byte[] key = record == null || record.key() == null ? null : record.key().get();
        byte[] value = OutputRecords.deadLetter(reason, message, origin, key,
                record == null ? null : record.value());
        long timestamp = record == null ? origin.timestamp() : record.timestamp();
        context.forward(new Record<>(record == null ? null : record.key(), value, timestamp),
                LearnerTopology.DEAD_LETTERS_SINK);
    }

    @Override
    public void close() {
        stats.close();
    }

    private OutputRecords.Origin origin(Record<Bytes, byte[]> record) {
        RecordMetadata m = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("record without metadata"));
        return new OutputRecords.Origin(m.topic(), m.partition(), m.offset(), record.timestamp());
    }

    private static String describe(OutputRecords.Origin origin) {
        return origin.topic() + "-" + origin.partition() + "@" + origin.offset();
    }
}
