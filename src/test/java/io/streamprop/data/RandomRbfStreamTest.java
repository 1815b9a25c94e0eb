package io.streamprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomRbfStreamTest {
    private static final double SHARE_TOLERANCE = 0.015;
    private static final double DISTANCE_TOLERANCE = 1e-12;
    private static final int EXAMPLES = 20_000;

    @Test
    void shouldMoveTheDriftingCentroidsAtTheirSpeedAndKeepThemInTheCube() {
        double speed = 0.01;
        RandomRbfStream stream = new RandomRbfStream(3, 2, 6, 2, speed, 1);
        double[] x = new double[3];
        boolean[][] turned = new boolean[2][3];
        double[][] lastMove = new double[2][3];
        for (int i = 0; i < 5000; i++) {
            double[][] before = centres(stream);
            stream.next(x);
            double[][] after = centres(stream);
            for (int c = 0; c < stream.centroids(); c++) {
                double distance = 0;
                for (int j = 0; j < 3; j++) {
                    assertTrue(after[c][j] >= 0 && after[c][j] <= 1, "centroid " + c + " left the cube");
                    double move = after[c][j] - before[c][j];
                    distance += move * move;
                    if (c < 2) {
                        turned[c][j] |= move * lastMove[c][j] < 0;
                        lastMove[c][j] = move;
                    }
                }
                if (c < 2) {
                    // a bounce shortens the step, never lengthens it
                    assertTrue(Math.sqrt(distance) <= speed + DISTANCE_TOLERANCE, "centroid " + c + " jumped");
                    assertTrue(distance > 0, "centroid " + c + " stood still");
                } else {
                    assertEquals(0.0, distance, "centroid " + c + " must not move");
                }
            }
        }
        for (int c = 0; c < 2; c++) {
            assertTrue(turned[c][0] || turned[c][1] || turned[c][2], "centroid " + c + " never bounced");
        }
    }

    @Test
    void shouldDrawClassesInProportionToTheirCentroidsWeights() {
        RandomRbfStream stream = new RandomRbfStream(4, 3, 10, 0, 0.0, 2);
        double total = 0;
        double[] expected = new double[3];
        for (int c = 0; c < stream.centroids(); c++) {
            expected[stream.label(c)] += stream.weight(c);
            total += stream.weight(c);
        }
        int[] counts = new int[3];
        double[] x = new double[4];
        for (int i = 0; i < EXAMPLES; i++) {
            counts[stream.next(x)]++;
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k] / total, counts[k] / (double) EXAMPLES, SHARE_TOLERANCE, "class " + k);
        }
    }

    /** |x - centre| = |r| with r ~ N(0, sigma^2), whose mean is sigma sqrt(2 / pi). */
    @Test
    void shouldScatterPointsAroundTheCentreByItsDeviation() {
        RandomRbfStream stream = new RandomRbfStream(5, 2, 1, 0, 0.0, 3);
        double[] centre = stream.centre(0);
        double[] x = new double[5];
        double sum = 0;
        for (int i = 0; i < EXAMPLES; i++) {
            assertEquals(stream.label(0), stream.next(x));
            double squared = 0;
            for (int j = 0; j < 5; j++) {
                squared += (x[j] - centre[j]) * (x[j] - centre[j]);
            }
            sum += Math.sqrt(squared);
        }
        double expected = stream.deviation(0) * Math.sqrt(2 / Math.PI);
        assertEquals(expected, sum / EXAMPLES, 0.02 * expected);
    }

    @Test
    void shouldRepeatForTheSameSeedAndRefuseBadParameters() {
        RandomRbfStream a = new RandomRbfStream(2, 2, 4, 4, 0.1, 7);
        RandomRbfStream b = new RandomRbfStream(2, 2, 4, 4, 0.1, 7);
        double[] xa = new double[2];
        double[] xb = new double[2];
        for (int i = 0; i < 50; i++) {
            assertEquals(a.next(xa), b.next(xb));
            assertArrayEquals(xa, xb);
        }
        assertThrows(IllegalArgumentException.class, () -> new RandomRbfStream(2, 1, 4, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomRbfStream(2, 2, 4, 5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomRbfStream(2, 2, 4, 1, 1.5, 1));
    }

    private static double[][] centres(RandomRbfStream stream) {
        double[][] centres = new double[stream.centroids()][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = stream.centre(c);
        }
        return centres;
    }
}
