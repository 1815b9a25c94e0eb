package io.streamprop.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {
    private static final double TOLERANCE = 1e-12;
    private static final double[] VALUES = {0.2, 0.1, 0.3, 0.2, 0.1, 0.2, 0.9, 1.1, 0.8, 1.0, 0.9, 1.2};
    /** A threshold whose false alarms on the noisy streams below are very unlikely but detections quick. */
    private static final PageHinkleySettings MONITOR = new PageHinkleySettings(0.005, 20.0, 30, 1.0 - 1e-4);

    /**
     * delta 0.05, lambda 1, 3 instances. Expected PH_T computed offline with numpy by recomputing
     * mean_t and m_t from scratch for every T (no running updates), restarting after an alarm.
     */
    @Test
    void shouldFollowTheDefinitionStepByStep() {
        double[] withoutFading = {0.0, 0.0, 0.04999999999999995, 0.0, 0.0, 0.0, 0.5642857142857143,
            1.2267857142857144, 0.0, 0.049999999999999975, 0.0, 0.17499999999999988};
        double[] fading = {0.0, 0.0, 0.06449999999999993, 0.02254999999999993, 0.0, 0.0, 0.5892374976190476,
            1.2177655311904763, 0.0, 0.05499999999999997, 0.004499999999999976, 0.18404999999999982};
        assertSteps(new PageHinkley(new PageHinkleySettings(0.05, 1.0, 3, 1.0)), withoutFading);
        assertSteps(new PageHinkley(new PageHinkleySettings(0.05, 1.0, 3, 0.9)), fading);
    }

    /** Both columns alarm at the 8th value only; PH is 0 again right after. */
    private static void assertSteps(PageHinkley test, double[] expected) {
        for (int t = 0; t < VALUES.length; t++) {
            Optional<DriftEvent> event = test.add(VALUES[t]);
            assertEquals(t == 7, event.isPresent(), "alarm at value " + (t + 1));
            double statistic = event.map(DriftEvent::statistic).orElse(test.statistic());
            assertEquals(expected[t], statistic, TOLERANCE, "PH after value " + (t + 1));
        }
        assertEquals(1, test.alarms());
    }

    @Test
    void shouldStayQuietOnAStationaryStream() {
        PageHinkley test = new PageHinkley(MONITOR);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            assertTrue(test.add(0.5 + 0.1 * random.nextGaussian()).isEmpty(), "false alarm at " + (i + 1));
        }
        assertEquals(0, test.alarms());
    }

    @Test
    void shouldFireSoonAfterAnAbruptRiseInTheMeanAndOnlyOnce() {
        PageHinkley test = new PageHinkley(MONITOR);
        SplittableRandom random = new SplittableRandom(12);
        List<DriftEvent> events = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            double mean = i < 2000 ? 0.5 : 1.0;
            test.add(mean + 0.1 * random.nextGaussian()).ifPresent(events::add);
        }

        assertEquals(1, events.size(), events.toString());
        long at = events.get(0).observation();
        // about lambda / (shift - delta) = 40 values after the change
        assertTrue(at > 2000 && at <= 2100, "detected at " + at);
        assertTrue(events.get(0).statistic() > MONITOR.lambda());
    }

    @Test
    void shouldIgnoreADecreaseInTheMean() {
        PageHinkley test = new PageHinkley(MONITOR);
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 4000; i++) {
            double mean = i < 2000 ? 1.0 : 0.5;
            assertTrue(test.add(mean + 0.1 * random.nextGaussian()).isEmpty(), "alarm at " + (i + 1));
        }
    }

    @Test
    void shouldContinueExactlyAfterARoundTrip() {
        PageHinkley original = new PageHinkley(MONITOR);
        SplittableRandom first = new SplittableRandom(14);
        for (int i = 0; i < 1000; i++) {
            original.add(0.5 + 0.1 * first.nextGaussian());
        }
        PageHinkley decoded = PageHinkley.fromBytes(original.toBytes());

        SplittableRandom a = new SplittableRandom(15);
        SplittableRandom b = new SplittableRandom(15);
        for (int i = 0; i < 1000; i++) {
            assertEquals(original.add(1.0 + 0.1 * a.nextGaussian()), decoded.add(1.0 + 0.1 * b.nextGaussian()));
        }
        assertEquals(1, decoded.alarms());
        assertArrayEquals(original.toBytes(), decoded.toBytes());
    }

    @Test
    void shouldRefuseImpossibleSettingsAndValues() {
        assertThrows(IllegalArgumentException.class, () -> new PageHinkleySettings(-1, 50, 30, 1));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkleySettings(0.005, 0, 30, 1));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkleySettings(0.005, 50, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkleySettings(0.005, 50, 30, 1.5));
        PageHinkley test = new PageHinkley(PageHinkleySettings.DEFAULTS);
        assertThrows(IllegalArgumentException.class, () -> test.add(Double.POSITIVE_INFINITY));
    }
}
