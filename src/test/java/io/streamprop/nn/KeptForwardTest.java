package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Test-then-train with one forward pass per example: a step on a batch filled by
 * {@link Model#predictAndAdd} reuses the predictions' forward passes, and must give exactly the
 * weights that a step computing its own forward pass gives.
 */
class KeptForwardTest {
    private record Row(double[] x, double[] target) {
    }

    private static NetworkSpec spec(Activation hidden, Loss loss, int outputs, boolean standardize) {
        NetworkSpec.Builder b = NetworkSpec.builder(5, 16, 7, outputs).hiddenActivation(hidden)
                .optimizer(OptimizerSpec.adam(0.01)).batchSize(8).standardize(standardize).l2(1e-4).clipNorm(0).seed(3);
        if (loss == Loss.CATEGORICAL_CROSS_ENTROPY) {
            b.multiClassifier();
        } else {
            b.outputActivation(Activation.IDENTITY).loss(loss);
        }
        return b.build();
    }

    private static List<Row> rows(int n, int outputs, boolean classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[5];
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextDouble(-2, 2) * (j + 1) + j;
            }
            double[] t = new double[outputs];
            if (classes) {
                t[random.nextInt(outputs)] = 1;
            } else {
                t[0] = x[0] - 0.5 * x[1];
            }
            rows.add(new Row(x, t));
        }
        return rows;
    }

    /**
     * Runs test-then-train over {@code rows} twice, once through predictAndAdd and once through
     * predictAndScore then add, and checks that the losses and final weights are bit-identical.
     */
    private static void assertSameTraining(NetworkSpec spec, List<Row> rows) {
        Model kept = Model.create(spec);
        Model recomputed = Model.create(spec);
        MiniBatch keptBatch = MiniBatch.forSpec(spec);
        MiniBatch plainBatch = MiniBatch.forSpec(spec);
        double[] out1 = new double[spec.outputs()];
        double[] out2 = new double[spec.outputs()];
        double[] query = new double[spec.outputs()];
        int i = 0;
        for (Row row : rows) {
            double loss1 = kept.predictAndAdd(row.x(), row.target(), out1, keptBatch);
            // a query in between must not disturb the kept rows
            kept.predict(rows.get((i * 7) % rows.size()).x(), query);
            double loss2 = recomputed.predictAndScore(row.x(), row.target(), out2);
            plainBatch.add(row.x(), row.target());
            assertEquals(Double.doubleToLongBits(loss2), Double.doubleToLongBits(loss1), "loss of example " + i);
            assertArrayEquals(out2, out1, "output of example " + i);
            if (keptBatch.isFull()) {
                assertTrue(keptBatch.keepsForwardOf(kept.forwardStamp()) || i < spec.batchSize(),
                        "the batch ending at example " + i + " keeps its forward passes");
                assertFalse(plainBatch.keepsForwardOf(recomputed.forwardStamp()));
                StepResult a = kept.step(keptBatch);
                StepResult b = recomputed.step(plainBatch);
                assertEquals(Double.doubleToLongBits(b.loss()), Double.doubleToLongBits(a.loss()), "batch loss");
                keptBatch.clear();
                plainBatch.clear();
            }
            i++;
        }
        assertEquals(recomputed.updatesApplied(), kept.updatesApplied());
        ModelCodecTest.assertSameState(recomputed, kept);
        assertArrayEquals(ModelCodec.encode(recomputed), ModelCodec.encode(kept));
    }

    @Test
    void shouldTrainBitIdenticallyWithKeptForwardPassesForAClassifier() {
        NetworkSpec spec = spec(Activation.RELU, Loss.CATEGORICAL_CROSS_ENTROPY, 3, true);
        assertSameTraining(spec, rows(400, 3, true, 11));
    }

    @Test
    void shouldTrainBitIdenticallyWithKeptForwardPassesForRegressionWithoutStandardisation() {
        NetworkSpec spec = spec(Activation.TANH, Loss.MSE, 1, false);
        assertSameTraining(spec, rows(400, 1, false, 12));
    }

    @Test
    void shouldNotReuseForwardPassesComputedUnderOtherWeights() {
        NetworkSpec spec = spec(Activation.RELU, Loss.CATEGORICAL_CROSS_ENTROPY, 3, true);
        List<Row> rows = rows(48, 3, true, 13);
        Model model = Model.create(spec);
        MiniBatch first = MiniBatch.forSpec(spec);
        double[] out = new double[3];
        for (int i = 0; i < 8; i++) {
            model.predictAndAdd(rows.get(i).x(), rows.get(i).target(), out, first);
        }
        model.step(first);
        // predicted under version 1, then the model moves to version 2 before this batch is stepped
        MiniBatch stale = MiniBatch.forSpec(spec);
        MiniBatch other = MiniBatch.forSpec(spec);
        for (int i = 8; i < 16; i++) {
            model.predictAndAdd(rows.get(i).x(), rows.get(i).target(), out, stale);
            other.add(rows.get(i + 8).x(), rows.get(i + 8).target());
        }
        long stampAtPrediction = model.forwardStamp();
        assertTrue(stale.keepsForwardOf(stampAtPrediction));
        model.step(other);
        assertNotEquals(stampAtPrediction, model.forwardStamp(), "a step changes the stamp");
        assertFalse(stale.keepsForwardOf(model.forwardStamp()));

        // the same sequence with plain batches throughout
        Model reference = Model.create(spec);
        MiniBatch b = MiniBatch.forSpec(spec);
        for (int i = 0; i < 8; i++) {
            b.add(rows.get(i).x(), rows.get(i).target());
        }
        reference.step(b);
        b.clear();
        for (int i = 16; i < 24; i++) {
            b.add(rows.get(i).x(), rows.get(i).target());
        }
        reference.step(b);
        b.clear();
        for (int i = 8; i < 16; i++) {
            b.add(rows.get(i).x(), rows.get(i).target());
        }
        reference.step(b);

        model.step(stale);
        ModelCodecTest.assertSameState(reference, model);
    }

    @Test
    void shouldKeepNothingForAMixOfPredictedAndPlainExamples() {
        NetworkSpec spec = spec(Activation.RELU, Loss.CATEGORICAL_CROSS_ENTROPY, 3, true);
        List<Row> rows = rows(8, 3, true, 14);
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        double[] out = new double[3];
        for (int i = 0; i < 8; i++) {
            if (i == 3) {
                batch.add(rows.get(i).x(), rows.get(i).target());
            } else {
                model.predictAndAdd(rows.get(i).x(), rows.get(i).target(), out, batch);
            }
        }
        assertFalse(batch.keepsForwardOf(model.forwardStamp()));
        MiniBatch plain = new MiniBatch(8, 5, 3);
        model.predictAndAdd(rows.get(0).x(), rows.get(0).target(), out, plain);
        assertFalse(plain.keepsForwardOf(model.forwardStamp()), "a batch made without a spec keeps nothing");
    }

    /**
     * The statistics that standardise the inputs take a batch in after its step, so the step
     * sees the inputs as its predictions saw them; only the first batch, which meets empty
     * statistics, is standardised with its own.
     */
    @Test
    void shouldFoldABatchIntoTheStatisticsAfterItsStep() {
        NetworkSpec spec = spec(Activation.RELU, Loss.CATEGORICAL_CROSS_ENTROPY, 3, true);
        List<Row> rows = rows(16, 3, true, 15);
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        for (int i = 0; i < 8; i++) {
            batch.add(rows.get(i).x(), rows.get(i).target());
        }
        model.step(batch);
        assertEquals(8, model.scaler().count());
        double[] meanAfterFirst = model.scaler().mean().clone();

        // the second step's gradient equals the gradient under the first batch's statistics
        batch.clear();
        for (int i = 8; i < 16; i++) {
            batch.add(rows.get(i).x(), rows.get(i).target());
        }
        Model probe = ModelCodec.decode(ModelCodec.encode(model));
        probe.computeGradients(batch);
        model.step(batch);
        assertEquals(16, model.scaler().count());
        assertFalse(java.util.Arrays.equals(meanAfterFirst, model.scaler().mean()));
        for (int l = 0; l < probe.depth(); l++) {
            assertArrayEquals(probe.layer(l).weightGrad.data, model.layer(l).weightGrad.data, "gradient of layer " + l);
        }
    }
}
