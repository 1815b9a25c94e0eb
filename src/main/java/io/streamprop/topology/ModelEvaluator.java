package io.streamprop.topology;

import io.streamprop.eval.CorruptStateException;
import io.streamprop.eval.DriftEvent;
import io.streamprop.eval.EvaluationSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner's prequential evaluation and drift handling, one per task. It scores each
 * prediction of a labelled example (test, then train) in the model's {@link ModelEvaluation},
 * writes a record to the metrics topic every {@code streamprop.metrics.every} scored examples,
 * on every snapshot and on every drift alarm, and meets an alarm as the model's
 * {@link DriftSpec} says.
 *
 * <p>The evaluation follows the model's own state. It is stored beside each checkpoint of the
 * weights; when a model is rebuilt from its checkpoint and training log (after a crash or a
 * rebalance), the examples the log refers to are predicted and scored again as they were live
 * (the same weights give the same predictions), and an example whose label came late is scored
 * again from the prediction kept for it in this store. A reaction that changed the model is in
 * the training log itself, so that any rebuild of the model applies it. After a crash or a
 * rebalance the evaluation thus ends exactly where an uninterrupted run's would.
 */
final class ModelEvaluator implements ModelRebuild.ReplayListener {
    private static final Logger log = LoggerFactory.getLogger(ModelEvaluator.class);

    private final KeyValueStore<String, byte[]> store;
    private final ProcessorContext<Bytes, byte[]> context;
    private final BiConsumer<LiveModel, byte[]> trainingLog;
    private final long every;
    private final EvaluationSettings settings;

    /**
     * @param trainingLog appends an entry to a model's training log
     */
    ModelEvaluator(StreampropConfig config, ProcessorContext<Bytes, byte[]> context,
                   BiConsumer<LiveModel, byte[]> trainingLog) {
        this.context = context;
        this.store = context.getStateStore(LearnerTopology.EVALUATION_STORE);
        this.trainingLog = trainingLog;
        this.every = config.metricsEvery();
        this.settings = config.evaluationSettings();
    }

    /** Starts the evaluation of a model just created. */
    void start(LiveModel lm) {
        lm.evaluation = ModelEvaluation.start(lm.model.spec(), lm.spec.drift(), settings);
        lm.evaluatedSpec = lm.spec;
    }

    /**
     * Takes up a model rebuilt from its checkpoint, before its training log is replayed: its
     * evaluation and drift settings as they were at that checkpoint.
     */
    void restore(LiveModel lm) {
        byte[] bytes = store.get(lm.id);
        if (bytes == null) {
            start(lm);
            return;
        }
        try {
            lm.evaluation = ModelEvaluation.fromBytes(bytes);
        } catch (CorruptStateException e) {
            log.warn("Model '{}' starts a new evaluation: its stored one is unreadable: {}", lm.id, e.getMessage());
            start(lm);
            return;
        }
        lm.spec = lm.spec.withDrift(lm.evaluation.drift());
        lm.evaluatedSpec = lm.spec;
        lm.checkpointBytes += bytes.length;
    }

    /**
     * Scores a prediction made live, once its example has joined the pending batch: the output in
     * {@code lm.output}, the target in {@code lm.target}. Writes what is due to the metrics topic
     * and meets a drift alarm.
     */
    void afterPrediction(LiveModel lm, double loss, long timestamp) {
        score(lm, lm.output, loss, timestamp);
    }

    /**
     * As {@link #afterPrediction}, for an example whose label came later than its prediction
     * ({@code output}), just logged inline: the prediction is kept here for a replay of the log.
     */
    void afterLatePrediction(LiveModel lm, double[] output, double loss, long timestamp) {
        ByteBuffer kept = ByteBuffer.allocate(Double.BYTES * (output.length + 1));
        kept.putDouble(loss).asDoubleBuffer().put(output);
        store.put(TrainingLog.key(lm.id, lm.logLength - 1), kept.array());
        score(lm, output, loss, timestamp);
    }

    /**
     * While a training log is replayed: scores again an example that the model predicted live at
     * this point of the log. Alarms recur as they happened; their reactions are in the log, and
     * nothing is emitted, since the live run's records are already on the metrics topic.
     */
    @Override
    public void referencedExample(LiveModel lm, double[] features) {
        double loss = lm.model.predictAndScore(features, lm.target, lm.output);
        current(lm).record(lm.output, lm.target, loss);
    }

    /**
     * While a training log is replayed: an example logged inline is either one whose label came
     * late, scored again from the prediction kept for it, or a pending example copied at a
     * checkpoint, which that checkpoint's evaluation has scored already.
     */
    @Override
    public void inlineExample(LiveModel lm, double[] features, int entry) {
        byte[] kept = store.get(TrainingLog.key(lm.id, entry));
        if (kept == null) {
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(kept);
        double loss = buf.getDouble();
        double[] output = new double[buf.remaining() / Double.BYTES];
        buf.asDoubleBuffer().get(output);
        current(lm).record(output, lm.target, loss);
    }

    /**
     * Writes the evaluation beside the checkpoint being written (its training log is empty now)
     * and forgets the predictions kept for the log; returns the size written in bytes.
     */
    int checkpoint(LiveModel lm) {
        byte[] bytes = current(lm).toBytes();
        store.put(lm.id, bytes);
        deleteKeptPredictions(lm.id);
        return bytes.length;
    }

    /** Writes a metrics record for the snapshot just emitted. */
    void onSnapshot(LiveModel lm, long timestamp) {
        emit(lm, MetricsRecords.Trigger.SNAPSHOT, timestamp, null, null);
    }

    void delete(String modelId) {
        store.delete(modelId);
        deleteKeptPredictions(modelId);
    }

    /** Applies a drift reaction to a model. */
    static void apply(LiveModel lm, DriftReaction reaction, double learningRateFactor, int boostSteps) {
        switch (reaction) {
            case NONE:
                break;
            case RESET_OPTIMIZER:
                lm.model.restartOptimizer(learningRateFactor, boostSteps);
                break;
            case RESET_MODEL:
                // the pending batch stays: the fresh weights learn from it at the next step
                lm.model = lm.model.reinitialized();
                break;
            default:
                throw new AssertionError(reaction);
        }
    }

    private void score(LiveModel lm, double[] output, double loss, long timestamp) {
        ModelEvaluation evaluation = current(lm);
        DriftEvent alarm = evaluation.record(output, lm.target, loss);
        if (alarm != null) {
            DriftSpec drift = evaluation.drift();
            if (drift.reaction() != DriftReaction.NONE) {
                apply(lm, drift.reaction(), drift.learningRateFactor(), drift.boostSteps());
                trainingLog.accept(lm, TrainingLog.reaction(timestamp, drift.reaction(), drift.learningRateFactor(),
                        drift.boostSteps()));
            }
            log.info("Drift in model '{}' at scored example {}: Page-Hinkley statistic {} > {} (mean loss {});"
                    + " reaction: {}", lm.id, evaluation.examples(), alarm.statistic(), alarm.threshold(),
                    alarm.mean(), drift.reaction().jsonName());
            emit(lm, MetricsRecords.Trigger.DRIFT, timestamp, alarm, drift.reaction());
        }
        if (evaluation.examples() % every == 0 && evaluation.examples() > 0) {
            emit(lm, MetricsRecords.Trigger.CADENCE, timestamp, null, null);
        }
    }

    /** The model's evaluation, carried over to its spec if the spec changed since. */
    private ModelEvaluation current(LiveModel lm) {
        if (lm.evaluation == null) {
            start(lm);
        } else if (lm.evaluatedSpec != lm.spec) {
            lm.evaluation = lm.evaluation.adopt(lm.model.spec(), lm.spec.drift(), settings);
            lm.evaluatedSpec = lm.spec;
        }
        return lm.evaluation;
    }

    private void deleteKeptPredictions(String modelId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(TrainingLog.firstKey(modelId),
                TrainingLog.lastKey(modelId))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }

    private void emit(LiveModel lm, MetricsRecords.Trigger trigger, long timestamp, DriftEvent alarm,
                      DriftReaction reaction) {
        byte[] value = MetricsRecords.metrics(lm.id, lm.model.updatesApplied(), current(lm), trigger, timestamp,
                alarm, reaction);
        Bytes key = Bytes.wrap(lm.id.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(key, value, timestamp), LearnerTopology.METRICS_SINK);
    }
}
