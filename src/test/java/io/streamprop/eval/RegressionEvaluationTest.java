package io.streamprop.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegressionEvaluationTest {
    private static final double TOLERANCE = 1e-12;

    /**
     * Predictions 1, 2, 0, 3, -1 of targets 0.5, 2.5, 1, 3, 1 with a window of 3 and alpha 0.5.
     * Expected values computed offline with numpy from the definitions, errors e weighted by w (all
     * 1; the last 3; 0.5^age): MAE = sum w |e| / sum w, RMSE = sqrt(sum w e^2 / sum w). By hand
     * for the cumulative ones: |e| = 0.5, 0.5, 1, 0, 2, so MAE = 4/5 and RMSE = sqrt(5.5/5).
     */
    @Test
    void shouldMatchHandComputedScores() {
        RegressionMetrics metrics = new RegressionMetrics(new EvaluationSettings(3, 0.5));
        double[][] stream = {{1.0, 0.5}, {2.0, 2.5}, {0.0, 1.0}, {3.0, 3.0}, {-1.0, 1.0}};
        for (double[] e : stream) {
            metrics.add(e[0], e[1]);
        }

        assertScores(5.0, 0.8, 1.0488088481701516, metrics.cumulative());
        assertScores(3.0, 1.0, 1.2909944487358056, metrics.sliding());
        assertScores(1.9375, 1.2096774193548387, 1.4892084929531764, metrics.fading());
    }

    @Test
    void shouldAverageTheErrorsOverOutputs() {
        RegressionMetrics metrics = new RegressionMetrics(EvaluationSettings.DEFAULTS);
        metrics.add(new double[] {1, 2}, new double[] {0, 4});

        // |e| = 1, 2 and e^2 = 1, 4
        assertScores(1.0, 1.5, Math.sqrt(2.5), metrics.cumulative());
    }

    /** Targets 2, 4, 6: the running mean predicts 0, 2, 3, so its errors are 2, 2, 3. */
    @Test
    void shouldScoreTheRunningMeanAsWorkedByHand() {
        RegressionEvaluation evaluation = new RegressionEvaluation(EvaluationSettings.DEFAULTS, 1);
        for (double target : new double[] {2, 4, 6}) {
            evaluation.record(new double[] {target + 0.5}, new double[] {target});
        }

        assertScores(3.0, 7.0 / 3, Math.sqrt(17.0 / 3), evaluation.runningMean().cumulative());
        assertScores(3.0, 0.5, 0.5, evaluation.model().cumulative());
    }

    @Test
    void shouldContinueExactlyAfterARoundTrip() {
        RegressionEvaluation original = new RegressionEvaluation(new EvaluationSettings(32, 0.9), 2);
        feed(original, 500, 1);

        RegressionEvaluation decoded = RegressionEvaluation.fromBytes(original.toBytes());
        feed(original, 500, 2);
        feed(decoded, 500, 2);

        assertArrayEquals(original.toBytes(), decoded.toBytes());
        assertEquals(original.model().sliding().scores(), decoded.model().sliding().scores());
    }

    @Test
    void shouldRefuseMismatchedOutputs() {
        RegressionEvaluation evaluation = new RegressionEvaluation(EvaluationSettings.DEFAULTS, 2);
        assertThrows(IllegalArgumentException.class, () -> evaluation.record(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> evaluation.record(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> evaluation.record(new double[] {Double.NaN, 0}, new double[] {1, 2}));
    }

    private static void feed(RegressionEvaluation evaluation, int examples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < examples; i++) {
            double[] target = {random.nextGaussian(), 3 + random.nextGaussian()};
            evaluation.record(new double[] {target[0] + 0.1 * random.nextGaussian(), 3}, target);
        }
    }

    private static void assertScores(double examples, double mae, double rmse, RegressionWindow window) {
        assertEquals(examples, window.examples(), TOLERANCE, window.kind() + " examples");
        assertEquals(mae, window.mae(), TOLERANCE, window.kind() + " MAE");
        assertEquals(rmse, window.rmse(), TOLERANCE, window.kind() + " RMSE");
    }
}
