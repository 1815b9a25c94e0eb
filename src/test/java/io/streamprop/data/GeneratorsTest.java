package io.streamprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.serde.ParsedExample;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GeneratorsTest {
    @Test
    void shouldGiveTheSameExamplesForTheSameSeed() throws IOException {
        for (String name : Generators.names()) {
            List<ParsedExample> a = Drain.of(new GeneratedSource(Generators.create(name, 7), 50)).examples();
            List<ParsedExample> b = Drain.of(new GeneratedSource(Generators.create(name, 7), 50)).examples();
            List<ParsedExample> c = Drain.of(new GeneratedSource(Generators.create(name, 8), 50)).examples();
            assertEquals(50, a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).features(), b.get(i).features(), name);
                assertEquals(a.get(i).label().scalar(), b.get(i).label().scalar(), name);
            }
            assertNotEquals(a.get(0).features()[0], c.get(0).features()[0], name);
        }
        assertThrows(IllegalArgumentException.class, () -> Generators.create("circles", 1));
    }

    /**
     * Each class's points lie on one arm; the mean direction of a class's points (from the
     * centre, weighted by radius) is a stable fingerprint of where its arm lies. After a shift
     * each class takes the place of another one, and a slow rotation turns all of them.
     */
    @Test
    void shouldMoveEachClassToAnotherArmAtAShiftAndTurnThePictureSlowly() {
        int shiftEvery = 30_000;
        DriftingSpiralStream stream = new DriftingSpiralStream(3, 0.75, 0.15, 0, shiftEvery, 3);
        double[][] before = classDirections(stream, 10_000);
        skip(stream, shiftEvery - 10_000);
        double[][] after = classDirections(stream, 10_000);

        for (int c = 0; c < 3; c++) {
            int next = (c + 1) % 3;
            assertTrue(distance(after[c], before[next]) < 0.05, "class " + c + " took the place of class " + next);
            assertTrue(distance(after[c], before[c]) > 0.3, "class " + c + " moved");
        }
        assertEquals(1, stream.armOf(0, shiftEvery));
        assertEquals(0, stream.armOf(0, shiftEvery - 1));

        DriftingSpiralStream turning = new DriftingSpiralStream(3, 0.75, 0.15, 40_000, 0, 3);
        double[][] start = classDirections(turning, 2_000);
        skip(turning, 8_000);
        double[][] quarter = classDirections(turning, 2_000);
        for (int c = 0; c < 3; c++) {
            // a quarter turn later: the direction is the old one turned by 90 degrees, (x, y) -> (-y, x)
            assertTrue(distance(quarter[c], new double[] {-start[c][1], start[c][0]}) < 0.1,
                    "class " + c + " turned a quarter");
        }
    }

    @Test
    void shouldNumberGeneratedExamplesAndStopAtTheCount() throws IOException {
        Drain drain = Drain.of(new GeneratedSource(Generators.create(Generators.DRIFTING_SPIRALS, 1), 5));
        assertEquals(List.of("0", "1", "2", "3", "4"), drain.examples().stream().map(ParsedExample::id).toList());
        Set<Double> labels = Drain.of(new GeneratedSource(Generators.create(Generators.SPIRALS, 1), 100))
                .examples().stream().map(e -> e.label().scalar()).collect(Collectors.toSet());
        assertEquals(Set.of(0.0, 1.0, 2.0), labels);
    }

    private static double[][] classDirections(ExampleGenerator stream, int n) {
        double[][] sums = new double[3][2];
        double[] x = new double[2];
        int[] counts = new int[3];
        for (int i = 0; i < n; i++) {
            int c = stream.next(x);
            sums[c][0] += x[0];
            sums[c][1] += x[1];
            counts[c]++;
        }
        for (int c = 0; c < 3; c++) {
            sums[c][0] /= counts[c];
            sums[c][1] /= counts[c];
        }
        return sums;
    }

    private static void skip(ExampleGenerator stream, int n) {
        double[] x = new double[2];
        for (int i = 0; i < n; i++) {
            stream.next(x);
        }
    }

    private static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
}
