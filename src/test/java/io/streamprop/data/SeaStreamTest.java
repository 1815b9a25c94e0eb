package io.streamprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeaStreamTest {
    /** About four standard errors of a share estimated from 20,000 examples. */
    private static final double SHARE_TOLERANCE = 0.015;
    private static final int CONCEPT = 20_000;

    @Test
    void shouldLabelByTheCurrentThresholdAndChangeItAbruptly() {
        SeaStream stream = new SeaStream(CONCEPT, 0.0, 1);
        double[] x = new double[3];
        double[] expectedThresholds = {8.0, 9.0, 7.0, 9.5, 8.0};
        for (int concept = 0; concept < expectedThresholds.length; concept++) {
            double theta = expectedThresholds[concept];
            double previous = expectedThresholds[(concept + 3) % 4];
            int positives = 0;
            int disagreeWithPrevious = 0;
            for (int i = 0; i < CONCEPT; i++) {
                assertEquals(theta, stream.threshold(), "example " + stream.generated());
                int label = stream.next(x);
                assertEquals(x[0] + x[1] <= theta ? 1 : 0, label);
                assertTrue(x[0] >= 0 && x[0] < 10 && x[1] >= 0 && x[1] < 10 && x[2] >= 0 && x[2] < 10);
                positives += label;
                disagreeWithPrevious += (x[0] + x[1] <= previous ? 1 : 0) != label ? 1 : 0;
            }
            // P(f1 + f2 <= theta) = theta^2 / 200 for theta <= 10
            assertEquals(theta * theta / 200, positives / (double) CONCEPT, SHARE_TOLERANCE, "theta " + theta);
            // the share of the plane between the two lines: |theta^2 - previous^2| / 200
            assertEquals(Math.abs(theta * theta - previous * previous) / 200,
                    disagreeWithPrevious / (double) CONCEPT, SHARE_TOLERANCE, "theta " + theta);
        }
    }

    @Test
    void shouldFlipTheStatedShareOfLabels() {
        SeaStream stream = new SeaStream(CONCEPT, 0.1, 2);
        double[] x = new double[3];
        int flipped = 0;
        for (int i = 0; i < CONCEPT; i++) {
            double theta = stream.threshold();
            flipped += stream.next(x) != (x[0] + x[1] <= theta ? 1 : 0) ? 1 : 0;
        }
        assertEquals(0.1, flipped / (double) CONCEPT, SHARE_TOLERANCE / 2);
    }

    @Test
    void shouldRepeatForTheSameSeed() {
        SeaStream a = new SeaStream(5, 0.1, 3);
        SeaStream b = new SeaStream(5, 0.1, 3);
        double[] xa = new double[3];
        double[] xb = new double[3];
        for (int i = 0; i < 50; i++) {
            assertEquals(a.next(xa), b.next(xb));
            assertArrayEquals(xa, xb);
        }
        assertThrows(IllegalArgumentException.class, () -> new SeaStream(0, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SeaStream(10, 1.5, 1));
    }
}
