package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void shouldKeepWhatWasLearnedWhenTheOutputLayerGrows() {
        Model model = TestModels.trainedAdam(20);
        Model grown = model.withOutputs(5);
        assertEquals(5, grown.spec().outputs());
        assertEquals(model.updatesApplied(), grown.updatesApplied());
        assertEquals(model.examplesSeen(), grown.examplesSeen());
        DenseLayer last = model.layer(1);
        DenseLayer grownLast = grown.layer(1);
        assertArrayEquals(model.layer(0).weightMoments[1].data, grown.layer(0).weightMoments[1].data);
        for (int r = 0; r < last.inputs; r++) {
            for (int c = 0; c < 5; c++) {
                double expected = c < 3 ? last.weights.get(r, c) : 0.0;
                assertEquals(expected, grownLast.weights.get(r, c), "weight " + r + "," + c);
                assertEquals(c < 3 ? last.weightMoments[0].get(r, c) : 0.0, grownLast.weightMoments[0].get(r, c));
            }
        }
        SplittableRandom random = new SplittableRandom(5);
        double[] out = new double[3];
        double[] grownOut = new double[5];
        for (int i = 0; i < 20; i++) {
            double[] x = {random.nextDouble(-3, 3), random.nextDouble(-3, 3), random.nextDouble(-3, 3),
                    random.nextDouble(-3, 3)};
            model.predict(x, out);
            grown.predict(x, grownOut);
            // existing logits are unchanged, the new ones are zero
            for (int c = 0; c < 3; c++) {
                assertEquals(last.logits.get(0, c), grownLast.logits.get(0, c), 1e-12);
            }
            assertEquals(0.0, grownLast.logits.get(0, 3));
            assertEquals(out[0] / out[1], grownOut[0] / grownOut[1], 1e-9);
        }
    }

    @Test
    void shouldLearnANewClassAfterGrowing() {
        Model grown = TestModels.trainedAdam(20).withOutputs(4);
        MiniBatch batch = MiniBatch.forSpec(grown.spec());
        double[] x = {1, -1, 2, 0.5};
        for (int s = 0; s < 50; s++) {
            batch.clear();
            while (!batch.isFull()) {
                batch.addClass(x, 3);
            }
            assertTrue(grown.step(batch).applied());
        }
        double[] out = new double[4];
        grown.predict(x, out);
        assertTrue(out[3] > 0.9, "class 3 learned: " + java.util.Arrays.toString(out));
        assertThrows(IllegalArgumentException.class, () -> grown.withOutputs(3));
    }

    @Test
    void shouldPredictABatchAsItPredictsEachExample() {
        Model model = TestModels.trainedAdam(4);
        SplittableRandom random = new SplittableRandom(3);
        // 13 rows: more than two batches of 5, so the last chunk is partial
        double[][] xs = new double[13][4];
        double[][] batchOut = new double[13][3];
        for (double[] x : xs) {
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextDouble(-5, 5);
            }
        }

        model.predictBatch(xs, batchOut);

        double[] single = new double[3];
        for (int i = 0; i < xs.length; i++) {
            model.predict(xs[i], single);
            assertArrayEquals(single, batchOut[i], 1e-15, "row " + i);
            assertEquals(1.0, single[0] + single[1] + single[2], 1e-12);
        }
    }

    @Test
    void shouldLearnScalerStatisticsFromTrainingOnly() {
        Model model = TestModels.trainedAdam(3);
        long count = model.scaler().count();
        double[] mean = model.scaler().mean().clone();

        model.predict(new double[] {100, 100, 100, 100}, new double[3]);
        model.predictAndScore(new double[] {-100, 0, 0, 0}, new double[] {0, 1, 0}, new double[3]);

        assertEquals(15, count, "three steps of five examples");
        assertEquals(count, model.scaler().count());
        assertArrayEquals(mean, model.scaler().mean());
    }

    @Test
    void shouldScoreAPredictionWithTheTrainingLoss() {
        Model model = TestModels.trainedAdam(2);
        double[] out = new double[3];

        double loss = model.predictAndScore(new double[] {1, 2, 3, 4}, new double[] {0, 0, 1}, out);

        assertEquals(-Math.log(out[2]), loss, 1e-12);
    }

    @Test
    void shouldDrawInitialWeightsWithinGlorotAndHeBounds() {
        NetworkSpec spec = NetworkSpec.builder(300, 200, 10).hiddenActivation(Activation.RELU)
                .outputActivation(Activation.SIGMOID).loss(Loss.BINARY_CROSS_ENTROPY).build();
        Model model = Model.create(spec);

        double he = Math.sqrt(6.0 / 300);
        double glorot = Math.sqrt(6.0 / (200 + 10));
        assertBounded(model.layer(0).weights.data, he);
        assertBounded(model.layer(1).weights.data, glorot);
        assertArrayEquals(new double[200], model.layer(0).bias.data);
    }

    @Test
    void shouldCarryWeightsAndMomentsOverToANewSpecOfTheSameShape() {
        Model model = TestModels.trainedAdam(3);
        NetworkSpec faster = model.spec().toBuilder().optimizer(OptimizerSpec.adam(0.05)).l2(0)
                .batchSize(9).build();

        Model next = model.withSpec(faster);

        assertEquals(faster, next.spec());
        assertEquals(model.updatesApplied(), next.updatesApplied());
        assertEquals(model.examplesSeen(), next.examplesSeen());
        assertArrayEquals(model.layer(0).weights.data, next.layer(0).weights.data);
        assertArrayEquals(model.layer(1).weightMoments[1].data, next.layer(1).weightMoments[1].data);
        assertArrayEquals(model.scaler().mean(), next.scaler().mean());
        assertTrue(TestModels.train(next, 2, 1).updatesApplied() == model.updatesApplied() + 2);
    }

    @Test
    void shouldResetMomentsWhenTheUpdateRuleChanges() {
        Model model = TestModels.trainedAdam(3);
        Model next = model.withSpec(model.spec().toBuilder().optimizer(OptimizerSpec.momentum(0.1, 0.9))
                .standardize(false).build());

        assertArrayEquals(model.layer(1).bias.data, next.layer(1).bias.data);
        assertArrayEquals(new double[next.layer(0).weightMoments[0].data.length],
                next.layer(0).weightMoments[0].data);
        assertEquals(null, next.scaler());
    }

    @Test
    void shouldRefuseANewSpecOfAnotherShape() {
        Model model = TestModels.trainedAdam(1);
        NetworkSpec wider = model.spec().toBuilder().layers(java.util.List.of(4, 7, 3)).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.withSpec(wider));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
    }

    /** Every value within [-bound, bound], and spread over most of that range. */
    private static void assertBounded(double[] values, double bound) {
        double max = 0;
        for (double v : values) {
            assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.95 * bound, "largest " + max + " of bound " + bound);
    }
}
