package io.streamprop.nn;

import java.util.SplittableRandom;

/** Small models with some training behind them, for state and format tests. */
final class TestModels {
    private TestModels() {
    }

    /** A 4-6-3 softmax classifier with Adam and standardisation, trained for {@code steps} steps. */
    static Model trainedAdam(int steps) {
        NetworkSpec spec = NetworkSpec.builder(4, 6, 3).hiddenActivation(Activation.TANH)
                .multiClassifier().optimizer(OptimizerSpec.adam(0.01)).batchSize(5)
                .standardize(true).l2(1e-3).clipNorm(5).seed(7).build();
        return train(Model.create(spec), steps, 99);
    }

    /** Feeds {@code steps} batches of seeded random examples to {@code model}. */
    static Model train(Model model, int steps, long seed) {
        NetworkSpec spec = model.spec();
        SplittableRandom random = new SplittableRandom(seed);
        MiniBatch batch = MiniBatch.forSpec(spec);
        for (int s = 0; s < steps; s++) {
            batch.clear();
            while (!batch.isFull()) {
                double[] x = new double[spec.inputs()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = random.nextDouble(-3, 3) * (j + 1);
                }
                if (spec.loss() == Loss.CATEGORICAL_CROSS_ENTROPY) {
                    batch.addClass(x, random.nextInt(spec.outputs()));
                } else {
                    double[] t = new double[spec.outputs()];
                    for (int k = 0; k < t.length; k++) {
                        t[k] = spec.loss() == Loss.BINARY_CROSS_ENTROPY ? random.nextInt(2) : x[0] - x[1];
                    }
                    batch.add(x, t);
                }
            }
            model.step(batch);
        }
        return model;
    }
}
