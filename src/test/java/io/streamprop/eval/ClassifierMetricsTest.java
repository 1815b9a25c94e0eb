package io.streamprop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassifierMetricsTest {
    private static final double TOLERANCE = 1e-12;
    /** Looser, for long streams where the incremental sums and the brute force round differently. */
    private static final double LONG_STREAM_TOLERANCE = 1e-9;

    /** (predicted, actual, probability of actual) for 3 classes. */
    private static final double[][] STREAM = {
        {0, 0, 0.7}, {1, 0, 0.2}, {1, 1, 0.6}, {2, 2, 0.5}, {0, 1, 0.1}, {2, 2, 0.9}, {1, 1, 0.8},
    };

    /**
     * Expected values computed offline with numpy from the definitions, with per-example weights w
     * (all 1; 1 for the last 4 only; 0.8^age): n = sum w, p0 = sum w [p == t] / n, log loss =
     * sum w (-ln q) / n, row_k = sum w [t == k] / n, col_k = sum w [p == k] / n,
     * pc = sum_k row_k col_k, kappa = (p0 - pc) / (1 - pc). By hand for the cumulative kappa:
     * p0 = 5/7, pc = (2*2 + 3*3 + 2*2) / 49, so kappa = 18/32.
     */
    @Test
    void shouldMatchHandComputedScores() {
        ClassifierMetrics metrics = new ClassifierMetrics(new EvaluationSettings(4, 0.8), 3);
        for (double[] e : STREAM) {
            metrics.add((int) e[0], (int) e[1], e[2]);
        }

        assertScores(new ClassifierScores(7.0, 5.0 / 7, 0.5625, 0.8287392600949784), metrics.cumulative());
        assertScores(new ClassifierScores(4.0, 0.75, 0.6, 0.8310590851315067), metrics.sliding());
        assertScores(new ClassifierScores(3.9514240000000003, 0.7551060073532986, 0.6098080776410787,
                0.7506389511599318), metrics.fading());
    }

    @Test
    void shouldAgreeWithBruteForceOnALongStreamWithNewClasses() {
        for (double alpha : new double[] {0.9, 0.5}) {
            EvaluationSettings settings = new EvaluationSettings(50, alpha);
            ClassifierMetrics metrics = new ClassifierMetrics(settings, 2);
            List<double[]> seen = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 1; i <= 3000; i++) {
                int classes = 2 + Math.min(3, i / 700);
                int actual = random.nextInt(classes);
                int predicted = random.nextDouble() < 0.6 ? actual : random.nextInt(classes);
                double probability = random.nextDouble();
                metrics.add(predicted, actual, probability);
                seen.add(new double[] {predicted, actual, probability});
                if (i % 97 == 0 || i == 3000) {
                    for (WindowKind kind : WindowKind.values()) {
                        assertScores(bruteForce(seen, kind, settings), metrics.window(kind), LONG_STREAM_TOLERANCE,
                                kind + " alpha " + alpha + " after " + i);
                    }
                }
            }
        }
    }

    @Test
    void shouldBeUndefinedBeforeAnyExampleAndWhenChanceAgreementIsOne() {
        ClassifierMetrics metrics = new ClassifierMetrics(EvaluationSettings.DEFAULTS, 2);
        assertTrue(Double.isNaN(metrics.cumulative().accuracy()));
        assertTrue(Double.isNaN(metrics.sliding().kappa()));
        assertTrue(Double.isNaN(metrics.fading().logLoss()));

        metrics.add(1, 1, 1.0);
        metrics.add(1, 1, 1.0);

        assertEquals(1.0, metrics.cumulative().accuracy());
        assertEquals(0.0, metrics.cumulative().logLoss());
        assertTrue(Double.isNaN(metrics.cumulative().kappa()));
    }

    @Test
    void shouldScoreChanceLevelPredictionsNearKappaZeroAndCapTheLogLoss() {
        ClassifierMetrics metrics = new ClassifierMetrics(EvaluationSettings.DEFAULTS, 4);
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 20_000; i++) {
            metrics.add(random.nextInt(4), random.nextInt(4), 0.0);
        }
        assertEquals(0.0, metrics.cumulative().kappa(), 0.02);
        assertEquals(0.25, metrics.cumulative().accuracy(), 0.01);
        assertEquals(-Math.log(ClassifierWindow.MIN_PROBABILITY), metrics.fading().logLoss(), TOLERANCE);
    }

    @Test
    void shouldRefuseImpossibleInput() {
        ClassifierMetrics metrics = new ClassifierMetrics(EvaluationSettings.DEFAULTS, 2);
        assertThrows(IllegalArgumentException.class, () -> metrics.add(-1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> metrics.add(0, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationSettings(0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationSettings(10, 1.0));
    }

    /** The estimates recomputed from every example kept, by their definitions. */
    static ClassifierScores bruteForce(List<double[]> seen, WindowKind kind, EvaluationSettings settings) {
        int from = kind == WindowKind.SLIDING ? Math.max(0, seen.size() - settings.windowSize()) : 0;
        double n = 0;
        double correct = 0;
        double loss = 0;
        double[] rows = new double[16];
        double[] cols = new double[16];
        for (int i = from; i < seen.size(); i++) {
            double[] e = seen.get(i);
            double w = kind == WindowKind.FADING ? Math.pow(settings.fadingFactor(), seen.size() - 1 - i) : 1.0;
            n += w;
            correct += e[0] == e[1] ? w : 0.0;
            loss += w * -Math.log(Math.max(e[2], ClassifierWindow.MIN_PROBABILITY));
            cols[(int) e[0]] += w;
            rows[(int) e[1]] += w;
        }
        double pc = 0;
        for (int k = 0; k < rows.length; k++) {
            pc += rows[k] / n * cols[k] / n;
        }
        double p0 = correct / n;
        return new ClassifierScores(n, p0, (p0 - pc) / (1 - pc), loss / n);
    }

    static void assertScores(ClassifierScores expected, ClassifierWindow window) {
        assertScores(expected, window, TOLERANCE, window.kind().toString());
    }

    static void assertScores(ClassifierScores expected, ClassifierWindow window, double tolerance, String what) {
        ClassifierScores actual = window.scores();
        assertEquals(expected.examples(), actual.examples(), tolerance, what + " examples");
        assertEquals(expected.accuracy(), actual.accuracy(), tolerance, what + " accuracy");
        assertEquals(expected.kappa(), actual.kappa(), tolerance, what + " kappa");
        assertEquals(expected.logLoss(), actual.logLoss(), tolerance, what + " log loss");
    }
}
