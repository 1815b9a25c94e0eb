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

    /** MOA draws each component of a motion from [0, 1) before scaling it to unit length. */
    @Test
    void shouldDrawEachMotionOfUnitLengthWithNoNegativeComponent() {
        RandomRbfStream stream = new RandomRbfStream(10, 2, 50, 50, 0.01, 4);
        for (int c = 0; c < stream.centroids(); c++) {
            double[] v = stream.velocity(c);
            double squared = 0;
            for (int j = 0; j < v.length; j++) {
                assertTrue(v[j] >= 0, "centroid " + c + " component " + j + " is " + v[j]);
                squared += v[j] * v[j];
            }
            assertEquals(1.0, Math.sqrt(squared), DISTANCE_TOLERANCE, "centroid " + c);
        }
    }

    @Test
    void shouldStepEachDriftingCentroidByTheSpeedAlongItsMotion() {
        double speed = 0.01;
        RandomRbfStream stream = new RandomRbfStream(3, 2, 6, 2, speed, 1);
        double[] x = new double[3];
        int freeSteps = 0;
        for (int i = 0; i < 5000; i++) {
            double[][] before = centres(stream);
            double[][] motions = velocities(stream, 2);
            stream.next(x);
            double[][] after = centres(stream);
            for (int c = 0; c < 2; c++) {
                if (touchesAWall(after[c])) {
                    continue;
                }
                freeSteps++;
                double squared = 0;
                for (int j = 0; j < 3; j++) {
                    double move = after[c][j] - before[c][j];
                    assertEquals(speed * motions[c][j], move, DISTANCE_TOLERANCE, "centroid " + c + " step " + i);
                    squared += move * move;
                }
                assertEquals(speed, Math.sqrt(squared), DISTANCE_TOLERANCE, "centroid " + c + " step " + i);
                assertArrayEquals(motions[c], stream.velocity(c), "centroid " + c + " turned in the open");
            }
            for (int c = 2; c < stream.centroids(); c++) {
                assertArrayEquals(before[c], after[c], "centroid " + c + " must not move");
            }
        }
        assertTrue(freeSteps > 5000, "only " + freeSteps + " steps away from the walls");
    }

    /** MOA stops a coordinate on the wall it crosses and reverses it; it does not reflect it. */
    @Test
    void shouldStopACentroidOnTheWallItCrossesAndReverseThatComponent() {
        double speed = 0.3;
        RandomRbfStream stream = new RandomRbfStream(3, 2, 4, 4, speed, 5);
        double[] x = new double[3];
        int[] hits = new int[2];
        for (int i = 0; i < 2000; i++) {
            double[][] before = centres(stream);
            double[][] motions = velocities(stream, 4);
            stream.next(x);
            for (int c = 0; c < stream.centroids(); c++) {
                double[] centre = stream.centre(c);
                double[] motion = stream.velocity(c);
                for (int j = 0; j < 3; j++) {
                    double free = before[c][j] + speed * motions[c][j];
                    String where = "centroid " + c + " coordinate " + j + " step " + i;
                    if (free > 1.0 || free < 0.0) {
                        double wall = free > 1.0 ? 1.0 : 0.0;
                        hits[(int) wall]++;
                        assertEquals(wall, centre[j], 0.0, where + " is off the wall");
                        assertEquals(-motions[c][j], motion[j], 0.0, where + " kept its direction");
                    } else {
                        assertEquals(free, centre[j], 0.0, where);
                        assertEquals(motions[c][j], motion[j], 0.0, where + " turned in the open");
                    }
                }
            }
        }
        assertTrue(hits[0] > 0 && hits[1] > 0, "walls hit: " + hits[0] + " at 0, " + hits[1] + " at 1");
    }

    /**
     * u is a point of [-1, 1)^2 scaled to unit length, so its angle to the nearest axis is below
     * pi / 8 with probability tan(pi / 8) ~ 0.414, where a direction uniform on the circle gives 0.5.
     */
    @Test
    void shouldOffsetPointsAlongAScaledPointOfTheCube() {
        RandomRbfStream stream = new RandomRbfStream(2, 2, 1, 0, 0.0, 6);
        double[] centre = stream.centre(0);
        double[] x = new double[2];
        int nearAnAxis = 0;
        for (int i = 0; i < EXAMPLES; i++) {
            stream.next(x);
            double angle = Math.atan2(Math.abs(x[1] - centre[1]), Math.abs(x[0] - centre[0]));
            if (angle < Math.PI / 8 || angle > 3 * Math.PI / 8) {
                nearAnAxis++;
            }
        }
        assertEquals(Math.tan(Math.PI / 8), nearAnAxis / (double) EXAMPLES, SHARE_TOLERANCE);
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
        assertThrows(IllegalArgumentException.class, () -> new RandomRbfStream(2, 2, 4, 1, 0.1, 1).velocity(1));
    }

    private static double[][] centres(RandomRbfStream stream) {
        double[][] centres = new double[stream.centroids()][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = stream.centre(c);
        }
        return centres;
    }

    private static double[][] velocities(RandomRbfStream stream, int drifting) {
        double[][] velocities = new double[drifting][];
        for (int c = 0; c < drifting; c++) {
            velocities[c] = stream.velocity(c);
        }
        return velocities;
    }

    private static boolean touchesAWall(double[] centre) {
        for (double coordinate : centre) {
            if (coordinate == 0.0 || coordinate == 1.0) {
                return true;
            }
        }
        return false;
    }
}
