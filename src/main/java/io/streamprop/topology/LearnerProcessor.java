package io.streamprop.topology;

import io.streamprop.nn.InvalidSpecException;
import io.streamprop.nn.Loss;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner: one instance per task, fed by the models, examples, labels and queries topics,
 * which are co-partitioned by model id. For a labelled example it predicts with the current
 * weights, emits that prediction, then adds the example to the model's pending batch, and trains
 * when the batch is full. A partial batch is trained on once the stream time has moved on by the
 * configured wait since its oldest example. An example with an id and no label is predicted and
 * kept until its label comes on the labels topic, within a window of stream time. A snapshot
 * sent to the models topic replaces the model of its key with the snapshot's exact state (a
 * warm start).
 *
 * <p>State: each model's weights are checkpointed to a store now and then, and every example
 * and training step since goes to the model's training log; replaying the log on the checkpoint
 * rebuilds the exact model and its pending batch. The log refers to examples by their offsets in
 * the examples topic, which keeps them, so the changelog carries about 20 bytes per example
 * rather than the whole model at every commit. A checkpoint is written every
 * {@value #MAX_STEPS_BETWEEN_CHECKPOINTS} steps at most, which bounds the replay, and sooner
 * when the log's oldest reference reaches the configured age (the pending examples are then
 * copied into the log, so the log never depends on records the topic may have deleted).
 * Decoded models stay in memory between records. Each model's prequential evaluation
 * ({@link ModelEvaluator}) is stored with its checkpoint and follows the replay of its log.
 */
final class LearnerProcessor implements Processor<Bytes, byte[], Bytes, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(LearnerProcessor.class);
    /** Most training steps between two checkpoints, which bounds the replay after a failure. */
    static final int MAX_STEPS_BETWEEN_CHECKPOINTS = 100;
    /** Largest invalid snapshot copied whole into its dead letter; the dead-letter topic takes 8 MiB. */
    static final int MAX_SNAPSHOT_BYTES_IN_DEAD_LETTER = 1024 * 1024;

    private final StreampropConfig config;
    private final ExampleParser parser;
    private final String softwareVersion;
    private final long partialBatchWaitMs;
    private final long logMaxAgeMs;
    private final LearningStats learningStats;
    private StatsRecorder stats;
    private ExampleFetcher fetcher;
    private ProcessorContext<Bytes, byte[]> context;
    private KeyValueStore<String, byte[]> weights;
    private KeyValueStore<String, byte[]> metas;
    private KeyValueStore<String, byte[]> trainingLog;
    private KeyValueStore<String, byte[]> awaiting;
    private final long labelWindowMs;
    /** Examples waiting for a label, oldest first; entries may be stale and are checked. */
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>();
    private LearnerMetrics metrics;
    private ModelEvaluator evaluator;
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

    private record Waiting(long timestamp, String key) implements Comparable<Waiting> {
        @Override
        public int compareTo(Waiting o) {
            int c = Long.compare(timestamp, o.timestamp);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    LearnerProcessor(StreampropConfig config, String softwareVersion, LearningStats learningStats) {
        this.config = config;
        this.learningStats = learningStats;
        this.parser = new ExampleParser(config.maxFeatures());
        this.softwareVersion = softwareVersion;
        this.partialBatchWaitMs = config.partialBatchWaitMs();
        this.logMaxAgeMs = config.logMaxAgeMs();
        this.labelWindowMs = config.labelWindowMs();
    }

    @Override
    public void init(ProcessorContext<Bytes, byte[]> context) {
        this.context = context;
        weights = context.getStateStore(LearnerTopology.WEIGHTS_STORE);
        metas = context.getStateStore(LearnerTopology.META_STORE);
        trainingLog = context.getStateStore(LearnerTopology.LOG_STORE);
        awaiting = context.getStateStore(LearnerTopology.AWAITING_STORE);
        try (KeyValueIterator<String, byte[]> all = awaiting.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                waiting.add(new Waiting(AwaitingExample.timestampOf(entry.value), entry.key));
            }
        }
        metrics = new LearnerMetrics(context.metrics(), context.taskId().toString());
        stats = learningStats.recorder(context.getStateStore(LearnerTopology.CURVES_STORE));
        evaluator = new ModelEvaluator(config, context, this::appendToLog);
        // the oldest pending example of each model: the first example after the last step
        Map<String, Long> pendingSince = new HashMap<>();
        try (KeyValueIterator<String, byte[]> all = trainingLog.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                String model = TrainingLog.modelOf(entry.key);
                if (TrainingLog.kind(entry.value) == TrainingLog.STEP) {
                    pendingSince.remove(model);
                } else {
                    pendingSince.putIfAbsent(model, TrainingLog.firstTimestamp(entry.value));
                }
            }
        }
        pendingSince.forEach((model, since) -> deadlines.add(new Deadline(since, model)));
        fetcher = new KafkaExampleFetcher(context.appConfigs(), context.applicationId() + "-" + context.taskId()
                + "-example-fetcher");
        context.schedule(Duration.ofMillis(Math.max(1000, Math.min(60_000, logMaxAgeMs / 2))),
                PunctuationType.WALL_CLOCK_TIME, this::checkpointAgedLogs);
        log.info("Task {} initialised: {} models with a pending batch", context.taskId(), pendingSince.size());
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
        }
        if (stats != null) {
            stats.close();
        }
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
        OutputRecords.Origin origin = origin(record);
        trainStalePartialBatches(record.timestamp(), origin);
        forgetUnlabelledExamples(record.timestamp());
        if (record.key() == null) {
            deadLetter(Rejection.MISSING_KEY, "the record has no key; the key must be the model id",
                    origin, record);
            return;
        }
        String modelId = new String(record.key().get(), StandardCharsets.UTF_8);
        String topic = origin.topic();
        if (topic.equals(config.examplesTopic())) {
            onExample(modelId, record, origin, true);
        } else if (topic.equals(config.labelsTopic())) {
            onLabel(modelId, record, origin);
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
                if (example.id() == null) {
                    throw new BadRecordException(Rejection.MISSING_LABEL, "an example on "
                            + config.examplesTopic() + " needs a \"label\", or an \"id\" to match a label sent"
                            + " later to " + config.labelsTopic() + "; send examples never to be labelled to "
                            + config.queriesTopic());
                }
                awaitLabel(lm, example, origin, record);
                return;
            }
            encodeLabel(lm, example.label(), origin, record);

            // test, then train: the prediction uses the weights as they are before this example
            double loss = predictAndAddToPending(lm, example.features(), origin);
            stats.onPrediction(lm.id, lm.model.spec(), lm.output, lm.target, loss);
            emitPrediction(lm, example, loss, origin, record);
            metrics.example();
            long version = lm.model.updatesApplied();
            evaluator.afterPrediction(lm, loss, record.timestamp());
            afterDriftReaction(lm, version, record);
            if (lm.pending.isFull()) {
                train(lm, origin, record);
            }
        } catch (BadRecordException e) {
            deadLetter(e.rejection(), e.getMessage(), origin, record);
        }
    }

    /**
     * Predicts an example that came without a label and keeps it, with that prediction, until
     * its label comes on the labels topic or the label window passes.
     */
    private void awaitLabel(LiveModel lm, ParsedExample example, OutputRecords.Origin origin,
                            Record<Bytes, byte[]> record) {
        double[] logits = new double[lm.output.length];
        lm.model.predict(example.features(), lm.output, logits);
        emitPrediction(lm, example, Double.NaN, origin, record);
        metrics.query();
        String key = AwaitingExample.key(lm.id, example.id());
        awaiting.put(key, new AwaitingExample(origin.timestamp(), origin.partition(), origin.offset(),
                lm.model.updatesApplied(), lm.output.clone(), logits, example.features()).encode());
        waiting.add(new Waiting(origin.timestamp(), key));
    }

    /**
     * A label for an example predicted earlier: reports that prediction's loss, then learns from
     * the example like any other.
     */
    private void onLabel(String modelId, Record<Bytes, byte[]> record, OutputRecords.Origin origin) {
        try {
            ParsedExample label = parser.parseLabel(record.value());
            LiveModel lm = load(modelId);
            if (lm == null) {
                throw new BadRecordException(Rejection.UNKNOWN_MODEL, "no model '" + modelId
                        + "': produce its spec to " + config.modelsTopic() + " first");
            }
            String key = AwaitingExample.key(modelId, label.id());
            byte[] stored = awaiting.get(key);
            if (stored == null) {
                throw new BadRecordException(Rejection.UNMATCHED_LABEL, "no example of model '" + modelId
                        + "' with id '" + label.id() + "' awaits a label: it never came to " + config.examplesTopic()
                        + " without one, was labelled already, came more than " + labelWindowMs
                        + " ms (of stream time) before this label, or came before the model was deleted or replaced");
            }
            AwaitingExample earlier = AwaitingExample.decode(stored);
            String misfit = misfit(lm, earlier);
            if (misfit != null) {
                // it can never be learned: it waits no more
                awaiting.delete(key);
                throw new BadRecordException(Rejection.UNMATCHED_LABEL, "the example of model '" + modelId
                        + "' with id '" + label.id() + "' " + misfit + ": it came before the model was replaced");
            }
            encodeLabel(lm, label.label(), origin, record);
            awaiting.delete(key);
            // a model that grew since the prediction has no loss for it
            double loss = earlier.output().length == lm.target.length
                    ? lm.model.score(earlier.logits(), earlier.output(), lm.target) : Double.NaN;
            stats.onPrediction(lm.id, lm.model.spec(), earlier.output(), lm.target, loss);
            OutputRecords.Origin exampleOrigin = new OutputRecords.Origin(config.examplesTopic(),
                    earlier.partition(), earlier.offset(), earlier.timestamp());
            byte[] value = OutputRecords.prediction(lm.id, new ParsedExample(label.id(), earlier.features(),
                    label.label()), earlier.version(), earlier.output(), lm.model.spec(), lm.classes, loss,
                    exampleOrigin, origin);
            context.forward(record.withValue(value), LearnerTopology.PREDICTIONS_SINK);
            metrics.example();
            addLabelledLater(lm, earlier, origin);
            long version = lm.model.updatesApplied();
            evaluator.afterLatePrediction(lm, earlier.output(), loss, record.timestamp());
            afterDriftReaction(lm, version, record);
            if (lm.pending.isFull()) {
                train(lm, origin, record);
            }
        } catch (BadRecordException e) {
            deadLetter(e.rejection(), e.getMessage(), origin, record);
        }
    }

    /**
     * Why an awaiting example cannot be learned by the model as it is now, or null if it can. A
     * model only ever gains output units, so fewer outputs than the model's are fine.
     */
    private static String misfit(LiveModel lm, AwaitingExample earlier) {
        int inputs = lm.model.spec().inputs();
        if (earlier.features().length != inputs) {
            return "has " + earlier.features().length + " features, but model '" + lm.id + "' expects " + inputs;
        }
        int outputs = lm.model.spec().outputs();
        if (earlier.output().length > outputs) {
            return "was predicted with " + earlier.output().length + " outputs, but model '" + lm.id + "' has "
                    + outputs;
        }
        return null;
    }

    /**
     * Adds an example whose label came later to the pending batch. Its label is not in the
     * examples topic, so the training log holds it whole.
     */
    private void addLabelledLater(LiveModel lm, AwaitingExample example, OutputRecords.Origin labelOrigin) {
        if (lm.pending.isEmpty()) {
            lm.pendingSince = labelOrigin.timestamp();
            deadlines.add(new Deadline(lm.pendingSince, lm.id));
        }
        lm.addPending(example.features(), labelOrigin.timestamp(), example.partition(), example.offset());
        appendToLog(lm, TrainingLog.example(labelOrigin.timestamp(), example.partition(), example.offset(),
                example.features(), lm.target));
    }

    /** Drops the examples whose label has not come within the window of stream time. */
    private void forgetUnlabelledExamples(long now) {
        while (!waiting.isEmpty() && waiting.peek().timestamp() <= now - labelWindowMs) {
            Waiting w = waiting.poll();
            byte[] stored = awaiting.get(w.key());
            if (stored != null && AwaitingExample.timestampOf(stored) == w.timestamp()) {
                awaiting.delete(w.key());
                log.debug("No label came within {} ms for example {}", labelWindowMs, w.key().replace('\u0000', '/'));
            }
        }
    }

    /**
     * Fills the model's target buffer from {@code label}. A class name the model has not seen
     * takes the next output unit; when there is none left, the pending batch is trained on and
     * the output layer grows by one unit.
     */
    private void encodeLabel(LiveModel lm, ParsedExample.Label label, OutputRecords.Origin origin,
                             Record<Bytes, byte[]> record) throws BadRecordException {
        boolean classifier = lm.model.spec().loss() == Loss.CATEGORICAL_CROSS_ENTROPY;
        if (label.isName()) {
            if (!classifier) {
                throw new BadRecordException(Rejection.WRONG_LABEL_KIND, "label \"" + label.name()
                        + "\" is a class name, but model '" + lm.id + "' is not a softmax classifier (its loss is "
                        + lm.model.spec().loss().name().toLowerCase(java.util.Locale.ROOT) + "): send numbers");
            }
            if (lm.numericClasses) {
                throw new BadRecordException(Rejection.WRONG_LABEL_KIND, "label \"" + label.name()
                        + "\" is a class name, but model '" + lm.id + "' has learned from class numbers;"
                        + " one model cannot mix the two");
            }
            int unit = lm.classes == null ? -1 : lm.classes.indexOf(label.name());
            if (unit < 0) {
                unit = addClass(lm, label.name(), origin, record);
            }
            java.util.Arrays.fill(lm.target, 0.0);
            lm.target[unit] = 1.0;
            return;
        }
        if (lm.classes != null) {
            throw new BadRecordException(Rejection.WRONG_LABEL_KIND, "model '" + lm.id + "' names its classes "
                    + lm.classes.names() + "; send a class name as the label, not a number");
        }
        LabelEncoder.encode(label, lm.model.spec(), lm.target);
        if (classifier && !lm.numericClasses) {
            lm.numericClasses = true;
            metas.put(lm.id, meta(lm).encode());
        }
    }

    /** Gives a new class name the next output unit, growing the output layer if needed. */
    private int addClass(LiveModel lm, String name, OutputRecords.Origin origin, Record<Bytes, byte[]> record) {
        if (lm.classes == null) {
            lm.classes = new ClassNames(List.of());
        }
        int unit = lm.classes.size();
        if (unit < lm.model.spec().outputs()) {
            lm.classes.add(name);
            metas.put(lm.id, meta(lm).encode());
            log.info("Model '{}' names its output unit {} \"{}\" at {}", lm.id, unit, name, describe(origin));
            return unit;
        }
        if (!lm.pending.isEmpty()) {
            // the waiting examples are trained on with the layer they were encoded for
            train(lm, origin, record);
        }
        Model grown = lm.model.withOutputs(unit + 1);
        lm.replace(new ModelSpec(grown.spec(), lm.spec.snapshotEvery(), false, lm.spec.drift()), grown);
        lm.classes.add(name);
        checkpoint(lm);
        log.info("Model '{}' meets class \"{}\" at {}: its output layer grows to {} units", lm.id, name,
                describe(origin), unit + 1);
        return unit;
    }

    /**
     * A model whose output layer grew for new class names keeps its units when a spec written
     * for fewer classes comes again (to change hyper-parameters, say).
     */
    private static ModelSpec keepGrownOutputs(LiveModel lm, ModelSpec spec) {
        int current = lm.model.spec().outputs();
        List<Integer> layers = spec.network().layers();
        if (lm.classes == null || spec.network().outputs() >= current
                || layers.size() != lm.model.spec().layers().size()) {
            return spec;
        }
        List<Integer> grown = new ArrayList<>(layers);
        grown.set(grown.size() - 1, current);
        return new ModelSpec(spec.network().toBuilder().layers(grown).build(), spec.snapshotEvery(), spec.reset(),
                spec.drift());
    }

    private ModelMeta meta(LiveModel lm) {
        return new ModelMeta(lm.spec.snapshotEvery(), lm.learnedOffsets,
                lm.classes == null ? null : lm.classes.names(), lm.numericClasses, lm.spec.drift());
    }

    private void onSpec(String modelId, Record<Bytes, byte[]> record, OutputRecords.Origin origin) {
        if (record.value() == null) {
            deleteModel(modelId, origin, record);
            return;
        }
        if (ModelSnapshot.isSnapshot(record.value())) {
            onSnapshot(modelId, record, origin);
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
        spec = keepGrownOutputs(lm, spec);
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

    /**
     * A snapshot on the models topic: the model starts again from the snapshot's exact state,
     * replacing any model of that id. A snapshot that cannot be read changes nothing.
     */
    private void onSnapshot(String modelId, Record<Bytes, byte[]> record, OutputRecords.Origin origin) {
        ModelSnapshot snapshot;
        try {
            snapshot = ModelSnapshot.fromJson(record.value());
        } catch (InvalidSnapshotException e) {
            int size = record.value().length;
            boolean copy = size <= MAX_SNAPSHOT_BYTES_IN_DEAD_LETTER;
            deadLetter(Rejection.INVALID_SNAPSHOT, copy ? e.getMessage() : e.getMessage() + " (the snapshot's "
                    + size + " bytes are not copied here)", origin, copy ? record : record.withValue(null));
            return;
        }
        if (load(modelId) != null) {
            deleteModel(modelId, origin, null);
        }
        ClassNames classes = snapshot.classNames() == null ? null : new ClassNames(snapshot.classNames());
        install(modelId, new ModelSpec(snapshot.model().spec(), snapshot.snapshotEvery(), false, snapshot.drift()),
                snapshot.model(), classes, record);
        log.info("Model '{}' warm-started from {}: a snapshot of model '{}' at version {} ({} examples seen, taken {})",
                modelId, describe(origin), snapshot.modelId(), snapshot.version(), snapshot.examplesSeen(),
                snapshot.time());
    }

    private void create(String modelId, ModelSpec spec, OutputRecords.Origin origin, Record<Bytes, byte[]> record) {
        Model model = Model.create(spec.network());
        install(modelId, spec, model, null, record);
        log.info("Created model '{}' ({} layers {}, {} parameters) from {}", modelId,
                spec.network().depth(), spec.network().layers(), model.parameterCount(), describe(origin));
    }

    /** Makes {@code model} the model {@code modelId}, checkpoints it and emits a snapshot. */
    private void install(String modelId, ModelSpec spec, Model model, ClassNames classes,
                         Record<Bytes, byte[]> record) {
        LiveModel lm = new LiveModel(modelId, spec, model);
        lm.classes = classes;
        live.put(modelId, lm);
        stats.onLoaded(modelId, 0, 0);
        evaluator.start(lm);
        checkpoint(lm);
        emitSnapshot(lm, record);
    }

    private void deleteModel(String modelId, OutputRecords.Origin origin, Record<Bytes, byte[]> tombstone) {
        LiveModel lm = load(modelId);
        if (lm == null) {
            return;
        }
        clearLog(lm);
        weights.delete(modelId);
        metas.delete(modelId);
        evaluator.delete(modelId);
        forgetAwaitingExamples(modelId);
        live.remove(modelId);
        stats.onDeleted(modelId);
        if (tombstone != null) {
            context.forward(new Record<Bytes, byte[]>(tombstone.key(), null, tombstone.timestamp()),
                    LearnerTopology.SNAPSHOTS_SINK);
            log.info("Deleted model '{}' on a tombstone at {}", modelId, describe(origin));
        }
    }

    /**
     * Drops the examples of a model being deleted or replaced that await their labels: they were
     * predicted by that model, so no later model may learn from them, and their labels go to dead
     * letters as unmatched. Their entries in {@link #waiting} go stale, which is checked there.
     */
    private void forgetAwaitingExamples(String modelId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = awaiting.prefixScan(AwaitingExample.prefix(modelId),
                new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(awaiting::delete);
        if (!keys.isEmpty()) {
            log.info("Model '{}' forgot its examples awaiting labels ({})", modelId, keys.size());
        }
    }

    /**
     * Predicts a labelled example into {@code lm.output} and adds it to the pending batch,
     * together with that forward pass, which the training step reuses; returns its loss.
     */
    private double predictAndAddToPending(LiveModel lm, double[] features, OutputRecords.Origin origin) {
        if (lm.pending.isEmpty()) {
            lm.pendingSince = origin.timestamp();
            deadlines.add(new Deadline(lm.pendingSince, lm.id));
        }
        int index = lm.pending.size();
        double loss = lm.predictAndAdd(features, origin.timestamp(), origin.partition(), origin.offset());
        logReference(lm, index);
        return loss;
    }

    /**
     * Logs pending example {@code index} by reference: it joins the open chunk of references,
     * which is written again whole, or starts a new one.
     */
    private void logReference(LiveModel lm, int index) {
        if (lm.openChunk < 0 || index - lm.openChunkStart >= TrainingLog.REFS_PER_CHUNK) {
            lm.openChunk = lm.logLength++;
            lm.openChunkStart = index;
        }
        if (lm.logStartedAt == LiveModel.NO_REFERENCES) {
            lm.logStartedAt = context.currentSystemTimeMs();
        }
        byte[] chunk = TrainingLog.refs(lm.pendingTimestamps, lm.pendingPartitions, lm.pendingOffsets,
                lm.openChunkStart, index + 1);
        trainingLog.put(TrainingLog.key(lm.id, lm.openChunk), chunk);
        lm.logBytes += TrainingLog.REF_BYTES;
    }

    /** Trains {@code lm} on its pending batch, which must not be empty, and empties it. */
    private void train(LiveModel lm, OutputRecords.Origin origin, Record<Bytes, byte[]> trigger) {
        StepResult result = lm.model.step(lm.pending);
        stats.onStep(lm.id, lm.model.updatesApplied());
        String newest = lm.newestPending(config.examplesTopic());
        lm.clearPending(config.examplesTopic());
        appendToLog(lm, TrainingLog.step());
        lm.logSteps++;
        if (lm.logBytes >= lm.checkpointBytes || lm.logSteps >= MAX_STEPS_BETWEEN_CHECKPOINTS) {
            checkpoint(lm);
        }
        if (!result.applied()) {
            deadLetter(Rejection.STEP_REJECTED, "training step of model '" + lm.id + "' on "
                    + result.examples() + " examples (the newest at " + newest
                    + ") was not applied: " + result.rejection(), origin, trigger);
            return;
        }
        metrics.update();
        log.debug("Model '{}' trained on {} examples: version {}, batch loss {}", lm.id, result.examples(),
                lm.model.updatesApplied(), result.loss());
        snapshotOnSchedule(lm, trigger);
    }

    /** Emits a snapshot when the model's version is a multiple of its spec's {@code snapshotEvery}. */
    private void snapshotOnSchedule(LiveModel lm, Record<Bytes, byte[]> trigger) {
        int every = lm.spec.snapshotEvery();
        if (every > 0 && lm.model.updatesApplied() % every == 0) {
            emitSnapshot(lm, trigger);
        }
    }

    /**
     * After the evaluation saw a prediction: a drift reaction that replaced the weights gave the
     * model a new version, which the statistics learn now and which gets its snapshot when it
     * falls on the schedule, as a step's version would.
     */
    private void afterDriftReaction(LiveModel lm, long versionBefore, Record<Bytes, byte[]> trigger) {
        if (lm.model.updatesApplied() != versionBefore) {
            stats.onStep(lm.id, lm.model.updatesApplied());
            snapshotOnSchedule(lm, trigger);
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

    /** Appends an entry after the open chunk of references, which it closes. */
    private void appendToLog(LiveModel lm, byte[] entry) {
        trainingLog.put(TrainingLog.key(lm.id, lm.logLength), entry);
        lm.logLength++;
        lm.logBytes += entry.length;
        lm.openChunk = -1;
    }

    /**
     * Writes the weights and metadata and empties the training log. The pending examples, if
     * any, go back into the log after the checkpoint, copied whole, so that nothing waiting is
     * lost and the log no longer refers to the examples topic.
     */
    private void checkpoint(LiveModel lm) {
        byte[] state = ModelCodec.encode(lm.model);
        stats.beginCheckpoint(lm.id);
        weights.put(lm.id, state);
        metas.put(lm.id, meta(lm).encode());
        clearLog(lm);
        lm.checkpointBytes = state.length + evaluator.checkpoint(lm);
        double[] features = new double[lm.model.spec().inputs()];
        double[] target = new double[lm.model.spec().outputs()];
        for (int i = 0; i < lm.pending.size(); i++) {
            lm.pending.copyExample(i, features, target);
            appendToLog(lm, TrainingLog.example(lm.pendingTimestamps[i], lm.pendingPartitions[i],
                    lm.pendingOffsets[i], features, target));
        }
        stats.endCheckpoint(lm.id);
    }

    private void clearLog(LiveModel lm) {
        for (int seq = 0; seq < lm.logLength; seq++) {
            trainingLog.delete(TrainingLog.key(lm.id, seq));
        }
        lm.logLength = 0;
        lm.logBytes = 0;
        lm.logSteps = 0;
        lm.openChunk = -1;
        lm.logStartedAt = LiveModel.NO_REFERENCES;
    }

    /**
     * Checkpoints every model whose log has referred to the examples topic for longer than
     * the configured age, so that a restart never needs examples the topic may have deleted.
     * This changes what is stored, never what is learned.
     */
    private void checkpointAgedLogs(long now) {
        for (LiveModel lm : live.values()) {
            if (lm.logStartedAt != LiveModel.NO_REFERENCES && now - lm.logStartedAt >= logMaxAgeMs) {
                log.debug("Model '{}' checkpoints: its training log refers to examples from {} ms ago",
                        lm.id, now - lm.logStartedAt);
                checkpoint(lm);
            }
        }
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
        evaluator.restore(lm);
        int steps = replayLog(lm);
        live.put(modelId, lm);
        stats.onLoaded(modelId, lm.model.examplesSeen() + lm.pending.size(), lm.model.updatesApplied());
        log.info("Rebuilt model '{}' from its checkpoint and training log: version {} after replaying {} steps,"
                + " {} examples pending", modelId, lm.model.updatesApplied(), steps, lm.pending.size());
        return lm;
    }

    /**
     * Replays the training log on the checkpoint just loaded: examples logged by reference are
     * read back from the examples topic first. Returns the number of steps replayed.
     */
    private int replayLog(LiveModel lm) {
        List<byte[]> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = trainingLog.range(TrainingLog.firstKey(lm.id),
                TrainingLog.lastKey(lm.id))) {
            it.forEachRemaining(kv -> entries.add(kv.value));
        }
        ModelRebuild.Replayed replayed = ModelRebuild.replay(lm, entries, fetcher, parser, config.examplesTopic(),
                evaluator);
        if (replayed.references()) {
            lm.logStartedAt = context.currentSystemTimeMs();
        }
        if (replayed.lost() > 0) {
            metrics.lostOnReplay(replayed.lost());
            stats.onLostOnReplay(lm.id, replayed.lost());
            log.error("Model '{}' was rebuilt without {} logged examples that {} no longer holds; its weights"
                    + " differ from an uninterrupted run from version {} on", lm.id, replayed.lost(),
                    config.examplesTopic(), lm.model.updatesApplied());
        }
        return replayed.steps();
    }

    private void emitPrediction(LiveModel lm, ParsedExample example, double loss,
                                OutputRecords.Origin origin, Record<Bytes, byte[]> record) {
        byte[] value = OutputRecords.prediction(lm.id, example, lm.model.updatesApplied(), lm.output,
                lm.model.spec(), lm.classes, loss, origin, null);
        context.forward(record.withValue(value), LearnerTopology.PREDICTIONS_SINK);
    }

    private void emitSnapshot(LiveModel lm, Record<Bytes, byte[]> trigger) {
        long timestamp = trigger == null ? context.currentStreamTimeMs() : trigger.timestamp();
        byte[] value = OutputRecords.snapshot(lm.id, lm.model, lm.spec, lm.classes, lm.learnedOffsets, timestamp,
                softwareVersion);
        Bytes key = Bytes.wrap(lm.id.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(key, value, timestamp), LearnerTopology.SNAPSHOTS_SINK);
        stats.onSnapshot(lm.id, timestamp);
        evaluator.onSnapshot(lm, timestamp);
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

    private OutputRecords.Origin origin(Record<Bytes, byte[]> record) {
        RecordMetadata m = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("record without metadata"));
        return new OutputRecords.Origin(m.topic(), m.partition(), m.offset(), record.timestamp());
    }

    private static String describe(OutputRecords.Origin origin) {
        return origin.topic() + "-" + origin.partition() + "@" + origin.offset();
    }
}
