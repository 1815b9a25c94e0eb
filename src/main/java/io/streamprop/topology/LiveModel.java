package io.streamprop.topology;

import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;

/** A model as the learner holds it in memory: decoded weights, pending batch and metadata. */
final class LiveModel {
    final String id;
    ModelSpec spec;
    Model model;
    MiniBatch pending;
    final ModelMeta meta;
    /** Reused output buffer for predictions. */
    double[] output;
    /** Reused target buffer. */
    double[] target;

    LiveModel(String id, ModelSpec spec, Model model, ModelMeta meta) {
        this.id = id;
        this.meta = meta;
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
