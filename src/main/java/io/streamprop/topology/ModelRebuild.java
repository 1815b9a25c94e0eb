package io.streamprop.topology;

import io.streamprop.nn.Model;
import io.streamprop.nn.ModelCodec;
import java.util.Map;

/**
 * Rebuilds a model from what the stores hold: its checkpoint, then every entry of its training
 * log replayed in order. The learner does it when it loads a model; queries do it to predict
 * with the model as the learner has it.
 */
final class ModelRebuild {
    private ModelRebuild() {
    }

    /** The model of a checkpoint (weights and metadata), with an empty pending batch. */
    static LiveModel fromCheckpoint(String modelId, byte[] state, byte[] metaBytes) {
        Model model = ModelCodec.decode(state);
        ModelMeta meta = metaBytes == null ? new ModelMeta(ModelSpec.DEFAULT_SNAPSHOT_EVERY, Map.of())
                : ModelMeta.decode(metaBytes);
        LiveModel lm = new LiveModel(modelId, new ModelSpec(model.spec(), meta.snapshotEvery, false), model);
        lm.learnedOffsets.putAll(meta.learnedOffsets);
        lm.checkpointBytes = state.length;
        return lm;
    }

    /**
     * Replays one training-log entry on {@code lm}: an example joins the pending batch, a step
     * marker trains on it. Returns whether the entry was a step.
     *
     * @param features scratch array of the model's input size
     * @param examplesTopic the topic that logged examples came from
     */
    static boolean replay(LiveModel lm, byte[] entry, double[] features, String examplesTopic) {
        if (TrainingLog.kind(entry) == TrainingLog.STEP) {
            lm.model.step(lm.pending);
            lm.pending.clear();
            lm.learnedOffsets.putAll(lm.pendingOffsets);
            lm.pendingOffsets.clear();
            return true;
        }
        if (lm.pending.isEmpty()) {
            lm.pendingSince = TrainingLog.timestamp(entry);
        }
        TrainingLog.readExample(entry, features, lm.target);
        lm.pending.add(features, lm.target);
        lm.pendingOffsets.put(examplesTopic + "-" + TrainingLog.partition(entry), TrainingLog.offset(entry));
        return false;
    }
}
