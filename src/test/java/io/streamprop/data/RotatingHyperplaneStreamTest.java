package io.streamprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RotatingHyperplaneStreamTest {
    private static final double SHARE_TOLERANCE = 0.015;
    private static final double WEIGHT_TOLERANCE = 1e-12;
    private static final int EXAMPLES = 20_000;

    @Test
    void shouldLabelByTheCurrentWeightsWhileTheyDrift() {
        double t = 0.001;
        RotatingHyperplaneStream stream = new RotatingHyperplaneStream(5, 2, t, 0.1, 0.0, 1);
        double[] x = new double[5];
        int positives = 0;
        int reversals = 0;
        double[] lastStep = {t, t};
        for (int i = 0; i < EXAMPLES; i++) {
            double[] w = stream.weights();
            int label = stream.next(x);
            double dot = 0;
            double sum = 0;
            for (int j = 0; j < 5; j++) {
                dot += w[j] * x[j];
                sum += w[j];
            }
            assertEquals(dot >= 0.5 * sum ? 1 : 0, label, "example " + i);
            positives += label;

            double[] after = stream.weights();
            for (int j = 0; j < 5; j++) {
                double step = after[j] - w[j];
                if (j < 2) {
                    assertEquals(t, Math.abs(step), WEIGHT_TOLERANCE, "weight " + j + " step");
                    reversals += Math.signum(step) != Math.signum(lastStep[j]) ? 1 : 0;
                    lastStep[j] = step;
                } else {
                    assertEquals(0.0, step, "weight " + j + " must not drift");
                }
            }
        }
        assertEquals(0.5, positives / (double) EXAMPLES, SHARE_TOLERANCE);
        assertEquals(0.1, reversals / (2.0 * EXAMPLES), SHARE_TOLERANCE);
    }

    @Test
    void shouldFlipTheStatedShareOfLabels() {
        RotatingHyperplaneStream stream = new RotatingHyperplaneStream(3, 3, 0.01, 0.1, 0.05, 2);
        double[] x = new double[3];
        int flipped = 0;
        for (int i = 0; i < EXAMPLES; i++) {
            double[] w = stream.weights();
            int label = stream.next(x);
            double margin = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] - 0.5 * (w[0] + w[1] + w[2]);
            flipped += label != (margin >= 0 ? 1 : 0) ? 1 : 0;
        }
        assertEquals(0.05, flipped / (double) EXAMPLES, SHARE_TOLERANCE / 2);
    }

    @Test
    void shouldKeepStillWithoutDriftAndRefuseBadParameters() {
        RotatingHyperplaneStream stream = new RotatingHyperplaneStream(4, 0, 0.5, 0.5, 0.0, 3);
        double[] before = stream.weights();
        double[] x = new double[4];
        for (int i = 0; i < 100; i++) {
            stream.next(x);
        }
        assertArrayEquals(before, stream.weights());
        assertThrows(IllegalArgumentException.class, () -> new RotatingHyperplaneStream(4, 5, 0.1, 0.1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RotatingHyperplaneStream(4, 2, -1, 0.1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RotatingHyperplaneStream(4, 2, 0.1, 2, 0, 1));
    }
}
