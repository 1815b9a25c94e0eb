package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each update rule against its textbook formula, written out independently here. */
class OptimizerTest {
    private static final double EXACT = 1e-15;
    private static final double[] GRADIENTS = {0.5, -2.0, 0.25};

    @Test
    void shouldDescendTheGradientWithSgd() {
        double[] w = {1.0, 1.0, 1.0};
        for (double g : GRADIENTS) {
            new Optimizer(OptimizerSpec.sgd(0.1)).update(1, w, new double[] {g, g, g}, null, null);
        }
        // 1 - 0.1 * (0.5 - 2 + 0.25)
        assertEquals(1.125, w[0], EXACT);
    }

    @Test
    void shouldAccumulateVelocityWithMomentum() {
        double[] w = {0.0};
        double[] v = {0.0};
        double expectedW = 0;
        double expectedV = 0;
        for (double g : GRADIENTS) {
            new Optimizer(OptimizerSpec.momentum(0.1, 0.9)).update(1, w, new double[] {g}, v, null);
            expectedV = 0.9 * expectedV + g;
            expectedW -= 0.1 * expectedV;
        }
        assertEquals(expectedV, v[0], EXACT);
        assertEquals(expectedW, w[0], EXACT);
    }

    @Test
    void shouldCorrectAdamsBiasOnTheFirstSteps() {
        OptimizerSpec adam = OptimizerSpec.adam(0.01);
        double[] w = {0.3};
        double[] m = {0};
        double[] v = {0};
        double expected = 0.3;
        double em = 0;
        double ev = 0;
        for (int t = 1; t <= GRADIENTS.length; t++) {
            double g = GRADIENTS[t - 1];
            new Optimizer(adam).update(t, w, new double[] {g}, m, v);
            em = 0.9 * em + 0.1 * g;
            ev = 0.999 * ev + 0.001 * g * g;
            double mHat = em / (1 - Math.pow(0.9, t));
            double vHat = ev / (1 - Math.pow(0.999, t));
            expected -= 0.01 * mHat / (Math.sqrt(vHat) + 1e-8);
            assertEquals(expected, w[0], 1e-12, "step " + t);
        }
        // the first step moves every weight by about the learning rate, whatever the gradient's size
        double[] first = {0.0};
        new Optimizer(adam).update(1, first, new double[] {1e-6}, new double[1], new double[1]);
        assertEquals(-0.01, first[0], 1e-4);
    }

    @Test
    void shouldLeaveEverythingUntouchedOnADryRun() {
        double[] w = {1, 2};
        double[] m = {0.1, 0.2};
        double[] v = {0.3, 0.4};
        Optimizer adam = new Optimizer(OptimizerSpec.adam(0.1));
        adam.prepare(3, 1.0);
        boolean finite = adam.staysFinite(w, new double[] {1, 1}, m, v);

        assertEquals(true, finite);
        assertArrayEquals(new double[] {1, 2}, w);
        assertArrayEquals(new double[] {0.1, 0.2}, m);
        assertArrayEquals(new double[] {0.3, 0.4}, v);
        assertFalse(new Optimizer(OptimizerSpec.sgd(1e308)).update(1, w, new double[] {1e10, 0}, null, null));
        assertArrayEquals(new double[] {1, 2}, w, "a refused update changes nothing");
    }

    /** The probe covers every block of a long array, and every value each rule writes. */
    @Test
    void shouldRefuseAnUpdateThatOverflowsAnywhereInALongArray() {
        int n = 3 * Optimizer.PROBE_BLOCK + 7;
        for (int at : new int[] {0, Optimizer.PROBE_BLOCK - 1, Optimizer.PROBE_BLOCK, n - 1}) {
            double[] g = new double[n];
            java.util.Arrays.fill(g, 1e-3);
            // Adam: the second moment overflows (g^2), the weight step does not
            double[] w = new double[n];
            double[] m = new double[n];
            double[] v = new double[n];
            g[at] = 1e200;
            assertFalse(new Optimizer(OptimizerSpec.adam(0.1)).update(1, w, g, m, v), "adam, value " + at);
            assertArrayEquals(new double[n], w, "adam leaves the weights");
            assertArrayEquals(new double[n], v, "adam leaves the second moment");
            // momentum: the velocity overflows
            double[] velocity = new double[n];
            velocity[at] = 1.7e308;
            g[at] = 1.7e308;
            assertFalse(new Optimizer(OptimizerSpec.momentum(1e-300, 0.9)).update(1, w, g, velocity, null),
                    "momentum, value " + at);
            assertEquals(1.7e308, velocity[at]);
        }
        double[] w = new double[n];
        double[] g = new double[n];
        java.util.Arrays.fill(g, 0.5);
        assertTrue(new Optimizer(OptimizerSpec.sgd(0.1)).update(1, w, g, null, null));
        assertEquals(-0.05, w[n - 1], EXACT);
    }
}
