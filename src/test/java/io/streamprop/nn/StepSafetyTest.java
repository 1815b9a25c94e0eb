package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A step that would corrupt the model is refused whole, and the caller is told why. */
class StepSafetyTest {

    @Test
    void shouldRefuseAStepThatOverflowsTheWeights() {
        NetworkSpec spec = NetworkSpec.builder(2, 3, 1).hiddenActivation(Activation.IDENTITY)
                .optimizer(OptimizerSpec.sgd(1e300)).batchSize(2).seed(1).build();
        Model model = Model.create(spec);
        byte[] before = stateWithoutCounters(model);
        MiniBatch batch = MiniBatch.forSpec(spec);
        batch.add(new double[] {1e10, -1e10}, new double[] {1e10});
        batch.add(new double[] {2e10, 1e10}, new double[] {-1e10});

        StepResult result = model.step(batch);

        assertFalse(result.applied());
        assertTrue(result.rejection().contains("non-finite"), result.rejection());
        assertArrayEquals(before, stateWithoutCounters(model));
        assertEquals(0, model.updatesApplied());
        assertEquals(1, model.stepsRejected());
        assertEquals(2, model.examplesSeen());
    }

    @Test
    void shouldRefuseNonFiniteFeaturesWithoutTouchingTheScaler() {
        NetworkSpec spec = NetworkSpec.builder(2, 3, 1).standardize(true).batchSize(2).build();
        Model model = TestModels.train(Model.create(spec), 3, 5);
        byte[] before = stateWithoutCounters(model);
        MiniBatch batch = MiniBatch.forSpec(spec);
        batch.add(new double[] {1, 2}, new double[] {0});
        batch.add(new double[] {Double.NaN, 2}, new double[] {0});

        StepResult result = model.step(batch);

        assertFalse(result.applied());
        assertTrue(result.rejection().contains("example 1 has a non-finite feature NaN at index 0"),
                result.rejection());
        assertArrayEquals(before, stateWithoutCounters(model));
    }

    @Test
    void shouldRollBackTheScalerWhenTheGradientIsNotFinite() {
        NetworkSpec spec = NetworkSpec.builder(2, 3, 1).standardize(true).batchSize(2).build();
        Model model = TestModels.train(Model.create(spec), 3, 5);
        byte[] before = stateWithoutCounters(model);
        MiniBatch batch = MiniBatch.forSpec(spec);
        batch.add(new double[] {1, 2}, new double[] {1e300});
        batch.add(new double[] {3, 2}, new double[] {-1e300});

        StepResult result = model.step(batch);

        assertFalse(result.applied());
        assertTrue(result.rejection().contains("not finite"), result.rejection());
        assertArrayEquals(before, stateWithoutCounters(model));
    }

    @Test
    void shouldKeepLearningAfterARefusedStep() {
        NetworkSpec spec = NetworkSpec.builder(2, 3, 1).batchSize(1).build();
        Model model = Model.create(spec);
        MiniBatch bad = MiniBatch.forSpec(spec);
        bad.add(new double[] {Double.POSITIVE_INFINITY, 0}, new double[] {1});
        MiniBatch good = MiniBatch.forSpec(spec);
        good.add(new double[] {1, 0}, new double[] {1});

        assertFalse(model.step(bad).applied());
        assertTrue(model.step(good).applied());
        assertEquals(1, model.updatesApplied());
    }

    @Test
    void shouldClipTheGlobalGradientNorm() {
        NetworkSpec spec = NetworkSpec.builder(3, 4, 2).hiddenActivation(Activation.TANH)
                .optimizer(OptimizerSpec.sgd(1.0)).clipNorm(0.01).batchSize(4).seed(8).build();
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        for (int i = 0; i < 4; i++) {
            batch.add(new double[] {i, -i, 2 * i}, new double[] {5 * i, -5});
        }
        double[] w0 = model.layer(0).weights.data.clone();
        model.computeGradients(batch);
        double[] g0 = model.layer(0).weightGrad.data.clone();

        StepResult result = model.step(batch);

        assertTrue(result.gradientNorm() > 0.01, "the gradient must be large enough to clip");
        double scale = 0.01 / result.gradientNorm();
        double[] w1 = model.layer(0).weights.data;
        for (int i = 0; i < w0.length; i++) {
            // SGD with lr 1: w1 = w0 - g * clip / norm
            assertEquals(w0[i] - g0[i] * scale, w1[i], 1e-15, "weight " + i);
        }
    }

    @Test
    void shouldExplainAShapeMistake() {
        NetworkSpec spec = NetworkSpec.builder(30, 4, 1).build();
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> batch.add(new double[5], new double[1]));
        assertEquals("features has 5 values, the model expects 30", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.predict(new double[29], new double[1]));
        assertThrows(IllegalArgumentException.class, () -> model.step(batch), "empty batch");
    }

    /** The encoded state with the counters zeroed, since a refused step still counts. */
    private static byte[] stateWithoutCounters(Model model) {
        long seen = model.examplesSeen();
        long applied = model.updatesApplied();
        long rejected = model.stepsRejected();
        model.restoreCounters(0, 0, 0);
        byte[] bytes = ModelCodec.encode(model);
        model.restoreCounters(seen, applied, rejected);
        return bytes;
    }
}
