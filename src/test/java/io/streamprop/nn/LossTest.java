package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fused losses agree with their naive definitions where those are safe, and stay finite where not. */
class LossTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void shouldMatchNaiveBinaryCrossEntropy() {
        double[] z = {-3, 0.2, 4};
        double[] a = z.clone();
        Activation.SIGMOID.apply(a, 1, 3, 0);
        double[] t = {0, 1, 1};
        double naive = 0;
        for (int k = 0; k < 3; k++) {
            naive += -t[k] * Math.log(a[k]) - (1 - t[k]) * Math.log(1 - a[k]);
        }
        assertEquals(naive, Loss.BINARY_CROSS_ENTROPY.exampleLoss(z, a, 0, t, 0, 3), TOLERANCE);
    }

    @Test
    void shouldMatchNaiveCategoricalCrossEntropy() {
        double[] z = {1.5, -0.5, 0.25};
        double[] a = z.clone();
        Activation.SOFTMAX.apply(a, 1, 3, 0);
        double[] t = {0, 0, 1};
        assertEquals(-Math.log(a[2]), Loss.CATEGORICAL_CROSS_ENTROPY.exampleLoss(z, a, 0, t, 0, 3),
                TOLERANCE);
        assertEquals(1.0, a[0] + a[1] + a[2], TOLERANCE);
    }

    @Test
    void shouldAverageMseOverOutputs() {
        double[] a = {1, 2};
        assertEquals((1 + 4) / 2.0, Loss.MSE.exampleLoss(a, a, 0, new double[] {0, 0}, 0, 2), TOLERANCE);
    }

    @Test
    void shouldStayFiniteOnHugeLogits() {
        double[] z = {1000, -1000, 0};
        double[] a = z.clone();
        Activation.SOFTMAX.apply(a, 1, 3, 0);
        double ce = Loss.CATEGORICAL_CROSS_ENTROPY.exampleLoss(z, a, 0, new double[] {0, 1, 0}, 0, 3);
        assertEquals(2000, ce, TOLERANCE);
        assertEquals(1.0, a[0]);

        double[] s = {800, -800};
        double[] sa = s.clone();
        Activation.SIGMOID.apply(sa, 1, 2, 0);
        double bce = Loss.BINARY_CROSS_ENTROPY.exampleLoss(s, sa, 0, new double[] {0, 1}, 0, 2);
        assertEquals(1600, bce, TOLERANCE);
        assertTrue(Double.isFinite(Activation.sigmoid(-1e308)));
    }
}
