package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** End-to-end learning on small problems with fixed seeds; every number here is stated. */
class LearningTest {

    /**
     * The tutorial's own sample: a 3-2-1 sigmoid network with MSE and plain SGD on its four rows.
     * With learning rate 1 and seed 42 all four outputs clear 0.5 by 0.3 after about 200 steps;
     * after 2000 steps every output must be within 0.1 of its label.
     */
    @Test
    void shouldLearnTheTutorialXorExample() {
        double[][] rows = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {1, 1, 1}};
        double[] labels = {0, 1, 1, 0};
        NetworkSpec spec = NetworkSpec.builder(3, 2, 1)
                .hiddenActivation(Activation.SIGMOID).outputActivation(Activation.SIGMOID)
                .loss(Loss.MSE).optimizer(OptimizerSpec.sgd(1.0)).batchSize(4).seed(42).build();
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        for (int i = 0; i < rows.length; i++) {
            batch.add(rows[i], new double[] {labels[i]});
        }

        double firstLoss = model.step(batch).loss();
        StepResult last = null;
        for (int step = 2; step <= 2000; step++) {
            last = model.step(batch);
            assertTrue(last.applied(), last.rejection());
        }

        assertTrue(last.loss() < firstLoss / 100, "loss went from " + firstLoss + " to " + last.loss());
        double[] out = new double[1];
        for (int i = 0; i < rows.length; i++) {
            model.predict(rows[i], out);
            assertEquals(labels[i], out[0], 0.1, "row " + i);
        }
        assertEquals(2000, model.updatesApplied());
        assertEquals(8000, model.examplesSeen());
    }

    /**
     * Three interleaved spirals, 2-32-32-3 tanh with softmax, cross-entropy and Adam (0.01),
     * batch 16, 150 passes over 600 points: at least 97% accuracy on 600 fresh points (100% seen).
     */
    @Test
    void shouldSeparateSpiralsWithSoftmaxAndAdam() {
        Datasets.Points train = Datasets.spirals(200, 3, 0.15, 11);
        Datasets.Points test = Datasets.spirals(200, 3, 0.15, 12);
        NetworkSpec spec = NetworkSpec.builder(2, 32, 32, 3)
                .hiddenActivation(Activation.TANH).multiClassifier()
                .optimizer(OptimizerSpec.adam(0.01)).batchSize(16).seed(5).build();
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        for (int epoch = 0; epoch < 150; epoch++) {
            for (int i = 0; i < train.size(); i++) {
                batch.addClass(train.x()[i], (int) train.y()[i]);
                if (batch.isFull()) {
                    model.step(batch);
                    batch.clear();
                }
            }
        }
        double accuracy = accuracy(model, test);
        assertTrue(accuracy >= 0.97, "test accuracy " + accuracy);
    }

    /**
     * A smooth function of two inputs, 2-32-32-1 tanh with MSE and Adam (0.005), batch 32, 100
     * passes over 2000 points: test RMSE below 0.05 (0.025 seen), where predicting the mean scores 1.15.
     */
    @Test
    void shouldFitARegressionWithMse() {
        Datasets.Points train = Datasets.smoothRegression(2000, 21);
        Datasets.Points test = Datasets.smoothRegression(500, 22);
        NetworkSpec spec = NetworkSpec.builder(2, 32, 32, 1).hiddenActivation(Activation.TANH)
                .optimizer(OptimizerSpec.adam(0.005)).batchSize(32).seed(3).build();
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        for (int epoch = 0; epoch < 100; epoch++) {
            for (int i = 0; i < train.size(); i++) {
                batch.add(train.x()[i], new double[] {train.y()[i]});
                if (batch.isFull()) {
                    model.step(batch);
                    batch.clear();
                }
            }
        }
        double meanRmse = rmseOfMean(test);
        double rmse = rmse(model, test);
        assertTrue(meanRmse > 0.5, "the problem is not trivial: mean predictor RMSE " + meanRmse);
        assertTrue(rmse < 0.05, "test RMSE " + rmse + " (mean predictor " + meanRmse + ")");
    }

    static double accuracy(Model model, Datasets.Points points) {
        double[] out = new double[model.spec().outputs()];
        int correct = 0;
        for (int i = 0; i < points.size(); i++) {
            model.predict(points.x()[i], out);
            int best = 0;
            for (int k = 1; k < out.length; k++) {
                if (out[k] > out[best]) {
                    best = k;
                }
            }
            if (best == (int) points.y()[i]) {
                correct++;
            }
        }
        return (double) correct / points.size();
    }

    private static double rmse(Model model, Datasets.Points points) {
        double[] out = new double[1];
        double sum = 0;
        for (int i = 0; i < points.size(); i++) {
            model.predict(points.x()[i], out);
            double d = out[0] - points.y()[i];
            sum += d * d;
        }
        return Math.sqrt(sum / points.size());
    }

    private static double rmseOfMean(Datasets.Points points) {
        double mean = 0;
        for (double y : points.y()) {
            mean += y;
        }
        mean /= points.size();
        double sum = 0;
        for (double y : points.y()) {
            sum += (y - mean) * (y - mean);
        }
        return Math.sqrt(sum / points.size());
    }
}
