package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small parts behind produce's and the demo's progress: score, rate, progress line. */
class ProgressPartsTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void shouldScoreTheRecentWindowAndEverything() {
        PrequentialScore score = new PrequentialScore(3);
        score.add(false, 2.0);
        score.add(true, 1.0);
        assertEquals(0.5, score.recentAccuracy(), TOLERANCE);
        assertEquals(1.5, score.recentLoss(), TOLERANCE);

        score.add(true, 0.5);
        score.add(true, 0.25);
        score.add(true, 0.25);

        assertEquals(5, score.count());
        assertEquals(3, score.windowCount());
        assertEquals(1.0, score.recentAccuracy(), TOLERANCE, "the miss has left the window");
        assertEquals(1.0 / 3, score.recentLoss(), TOLERANCE);
        assertEquals(0.8, score.accuracy(), TOLERANCE);
        assertEquals(0.8, score.loss(), TOLERANCE);
    }

    @Test
    void shouldReadRatesWithOrWithoutTheUnit() throws UsageException {
        assertEquals(500, Rate.parse("rate", "500/s").perSecond());
        assertEquals(2.5, Rate.parse("rate", "2.5").perSecond());
        assertFalse(Rate.parse("rate", "0").limited());
        assertEquals("no limit", Rate.parse("rate", "0/s").toString());
        assertThrows(UsageException.class, () -> Rate.parse("rate", "-1"));
        assertThrows(UsageException.class, () -> Rate.parse("rate", "1/min"));
    }

    @Test
    void shouldDescribeProgressWithPercentageAndEta() {
        ProgressLine known = new ProgressLine(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false, 1000);
        assertEquals(" 25.0% 240/1,000 sent, 120/s, 10 skipped, ETA 0:07", known.describe(240, 10, 2.0));

        ProgressLine unknown = new ProgressLine(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false, -1);
        assertEquals("3,000 sent, 1,000/s", unknown.describe(3000, 0, 3.0));
    }
}
