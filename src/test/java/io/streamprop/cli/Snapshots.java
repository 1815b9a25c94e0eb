package io.streamprop.cli;

import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import io.streamprop.nn.ModelJson;
import io.streamprop.nn.NetworkSpec;

/** Snapshot JSON as the learner writes it, made without a learner, for the tool's tests. */
final class Snapshots {
    static final String TIME = "2024-05-06T07:08:09Z";

    private Snapshots() {
    }

    /** A 3-2-1 model (batches of 2) after {@code steps} training steps on fixed examples. */
    static Model trained(int steps) {
        Model model = Model.create(NetworkSpec.builder(3, 2, 1).batchSize(2).seed(5).build());
        MiniBatch batch = MiniBatch.forSpec(model.spec());
        for (int s = 0; s < steps; s++) {
            batch.clear();
            batch.add(new double[] {1, 0, s}, new double[] {1});
            batch.add(new double[] {0, 1, -s}, new double[] {0});
            model.step(batch);
        }
        return model;
    }

    /** The snapshot of {@code model} under the id {@code modelId}. */
    static String of(String modelId, Model model) {
        return "{\"model\":\"" + modelId + "\",\"version\":" + model.updatesApplied() + ",\"examplesSeen\":"
                + model.examplesSeen() + ",\"inputOffsets\":{\"streamprop.examples-1\":41},\"time\":\"" + TIME
                + "\",\"softwareVersion\":\"test\",\"learner\":{\"snapshotEvery\":10},\"state\":"
                + ModelJson.write(model) + "}";
    }
}
