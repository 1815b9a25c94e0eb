package io.streamprop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningCurveTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void shouldStayWithinItsPointsByMergingPairsAndDoublingTheWindow() {
        LearningCurve curve = LearningCurve.empty();
        long examples = 0;
        for (int i = 0; i < LearningCurve.MAX_POINTS; i++) {
            examples += curve.window();
            curve.add(examples, curve.window(), i, i % 2, 1000L + i);
        }
        assertEquals(LearningCurve.MAX_POINTS, curve.size());
        assertEquals(LearningCurve.FIRST_WINDOW, curve.window());

        examples += curve.window();
        curve.add(examples, curve.window(), 7.0, 1.0, 5000L);

        // 500 points became 250 of twice the window, then the new one was added
        assertEquals(LearningCurve.MAX_POINTS / 2 + 1, curve.size());
        assertEquals(2 * LearningCurve.FIRST_WINDOW, curve.window());
        assertEquals(0.5, curve.loss(0), TOLERANCE, "mean of the losses 0 and 1");
        assertEquals(0.5, curve.accuracy(0), TOLERANCE, "mean of the accuracies 0 and 1");
        assertEquals(2 * LearningCurve.FIRST_WINDOW, curve.examples(0));
        assertEquals(2 * LearningCurve.FIRST_WINDOW, curve.count(0));
        assertEquals(1001L, curve.time(0));
        assertEquals(examples, curve.examples(curve.size() - 1));
        for (int i = 1; i < curve.size(); i++) {
            assertTrue(curve.examples(i) > curve.examples(i - 1));
        }
    }

    @Test
    void shouldWeighMergedMeansByTheirPredictions() {
        LearningCurve curve = LearningCurve.empty();
        curve.add(100, 100, 1.0, Double.NaN, 1);
        curve.add(400, 300, 2.0, Double.NaN, 2);
        for (int i = 2; i <= LearningCurve.MAX_POINTS; i++) {
            curve.add(400 + i * 100L, 100, 0.0, Double.NaN, i + 1);
        }

        assertEquals((1.0 * 100 + 2.0 * 300) / 400, curve.loss(0), TOLERANCE);
        assertTrue(Double.isNaN(curve.accuracy(0)), "a regression curve has no accuracy");
    }

    @Test
    void shouldDecodeWhatItEncodes() {
        LearningCurve curve = LearningCurve.empty();
        for (int i = 0; i < 1234; i++) {
            curve.add(100L * (i + 1), 100, 1.0 / (i + 1), 0.5 + i * 1e-4, 10_000L + i);
        }

        LearningCurve copy = LearningCurve.decode(curve.encode());

        assertEquals(curve.window(), copy.window());
        assertEquals(curve.size(), copy.size());
        for (int i = 0; i < curve.size(); i++) {
            assertEquals(curve.examples(i), copy.examples(i));
            assertEquals(curve.count(i), copy.count(i));
            assertEquals(curve.loss(i), copy.loss(i));
            assertEquals(curve.accuracy(i), copy.accuracy(i));
            assertEquals(curve.time(i), copy.time(i));
        }
        byte[] truncated = java.util.Arrays.copyOf(curve.encode(), 30);
        assertThrows(IllegalArgumentException.class, () -> LearningCurve.decode(truncated));
    }
}
