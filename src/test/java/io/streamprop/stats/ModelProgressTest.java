package io.streamprop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.serde.Rejection;
import org.junit.jupiter.api.Test;

class ModelProgressTest {
    private static final double TOLERANCE = 1e-9;

    @Test
    void shouldMeasureThroughputOverTheLastTenSecondsAndFallToZeroWhenIdle() {
        // 100 examples per second, sampled every second for 20 s
        long[] times = new long[21];
        long[] counts = new long[21];
        for (int i = 0; i <= 20; i++) {
            times[i] = 1_000_000L + 1000L * i;
            counts[i] = 100L * i;
        }
        ModelProgress p = new ModelProgress("m", 2000, 7, 0.5, Double.NaN, -1,
                new long[Rejection.values().length], times, counts);

        assertEquals(100.0, p.examplesPerSecond(1_020_000L), TOLERANCE);
        assertEquals(0.0, p.examplesPerSecond(1_040_000L), TOLERANCE, "no example for 20 s");
        assertTrue(p.examplesPerSecond(1_025_000L) < 100.0, "falling once examples stop");
    }

    @Test
    void shouldMeasureFromTheFirstSampleWhenYoungerThanTheSpan() {
        ModelProgress p = new ModelProgress("m", 600, 1, 0.5, 0.9, 5_000L,
                new long[Rejection.values().length], new long[] {10_000L}, new long[] {100L});

        assertEquals(1000.0, p.examplesPerSecond(10_500L), TOLERANCE);
        assertEquals(5.5, p.snapshotAgeSeconds(10_500L).getAsDouble(), TOLERANCE);
        assertTrue(p.isClassifier());
    }

    @Test
    void shouldNotCountTheExamplesOfALoadedModelAsThroughput() {
        ModelTracker tracker = new ModelTracker("m", 1);
        tracker.reset(1_000_000, 10, LearningCurve.empty());

        assertEquals(0.0, tracker.progress.examplesPerSecond(System.currentTimeMillis() + 500), TOLERANCE);
        assertEquals(1_000_000, tracker.progress.examples());
    }
}
