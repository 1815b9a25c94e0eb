package io.streamprop.topology;

import io.streamprop.eval.CorruptStateException;
import io.streamprop.eval.DriftEvent;
import io.streamprop.eval.EvaluationSettings;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 * <p>The evaluation follows the model's own state: it is stored beside each checkpoint of the
 * weights, and when a model is rebuilt from its checkpoint and training log, the examples that
 * the log refers to are predicted and scored again as they were live (the same weights give the
 * same predictions), which also raises the same alarms at the same examples. So after a crash
 * or a rebalance the evaluation ends exactly where an uninterrupted run's would.
 */
final class ModelEvaluator {
    private static final Logger log = LoggerFactory.getLogger(ModelEvaluator.class);

    private final KeyValueStore<String, byte[]> store;
    private final ProcessorContext<Bytes, byte[]> context;
    private final long every;
    private final EvaluationSettings settings;

    ModelEvaluator(StreampropConfig config, ProcessorContext<Bytes, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(LearnerTopology.EVALUATION_STORE);
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
     * Scores a prediction just made live, with the output in {@code lm.output} and the target in
     * {@code lm.target}, and writes what is due to the metrics topic.
     */
    void afterPrediction(LiveModel lm, double loss, long timestamp) {
        ModelEvaluation evaluation = current(lm);
        DriftEvent alarm = evaluation.record(lm.output, lm.target, loss);
        if (alarm != null) {
            DriftReaction reaction = react(lm, evaluation.drift());
            log.info("Drift in model '{}' at scored example {}: Page-Hinkley statistic {} > {} (mean loss {});"
                    + " reaction: {}", lm.id, evaluation.examples(), alarm.statistic(), alarm.threshold(),
                    alarm.mean(), reaction.jsonName());
            emit(lm, MetricsRecords.Trigger.DRIFT, timestamp, alarm, reaction);
        }
        if (evaluation.examples() % every == 0 && evaluation.examples() > 0) {
            emit(lm, MetricsRecords.Trigger.CADENCE, timestamp, null, null);
        }
    }

    /**
     * Scores again, while a model's training log is replayed, an example that the model
     * predicted live at this point of the log: its features in {@code features}, its target in
     * {@code lm.target}. Alarms and reactions recur as they happened; nothing is emitted, since
     * the live run's records are already on the metrics topic.
     */
    void replay(LiveModel lm, double[] features) {
        ModelEvaluation evaluation = current(lm);
        double loss = lm.model.predictAndScore(features, lm.target, lm.output);
        if (evaluation.record(lm.output, lm.target, loss) != null) {
            DriftReaction reaction = react(lm, evaluation.drift());
            log.debug("Model '{}' replayed a drift alarm at scored example {}; reaction: {}", lm.id,
                    evaluation.examples(), reaction.jsonName());
        }
    }

    /** Writes the evaluation beside the checkpoint being written; returns its size in bytes. */
    int checkpoint(LiveModel lm) {
        byte[] bytes = current(lm).toBytes();
        store.put(lm.id, bytes);
        return bytes.length;
    }

    /** Writes a metrics record for the snapshot just emitted. */
    void onSnapshot(LiveModel lm, long timestamp) {
        emit(lm, MetricsRecords.Trigger.SNAPSHOT, timestamp, null, null);
    }

    void delete(String modelId) {
        store.delete(modelId);
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

    private static DriftReaction react(LiveModel lm, DriftSpec drift) {
        switch (drift.reaction()) {
            case NONE:
                break;
            case RESET_OPTIMIZER:
                lm.model.restartOptimizer(drift.learningRateFactor(), drift.boostSteps());
                break;
            case RESET_MODEL:
                // the pending batch stays: the fresh weights learn from it at the next step
                lm.model = lm.model.reinitialized();
                break;
            default:
                throw new AssertionError(drift.reaction());
        }
        return drift.reaction();
    }

    private void emit(LiveModel lm, MetricsRecords.Trigger trigger, long timestamp, DriftEvent alarm,
                      DriftReaction reaction) {
        byte[] value = MetricsRecords.metrics(lm.id, lm.model.updatesApplied(), current(lm), trigger, timestamp,
                alarm, reaction);
        Bytes key = Bytes.wrap(lm.id.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(key, value, timestamp), LearnerTopology.METRICS_SINK);
    }
}
