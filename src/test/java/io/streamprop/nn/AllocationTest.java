package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Counts the bytes this thread allocates (HotSpot's per-thread counter) in warm training and
 * prediction loops. Not a timing test: the counts do not depend on the machine's speed.
 */
class AllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldNotAllocatePerExampleOnceWarm() {
        NetworkSpec spec = NetworkSpec.builder(20, 64, 64, 2).multiClassifier().standardize(true)
                .batchSize(32).l2(1e-4).clipNorm(1).build();
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        double[] x = new double[20];
        double[] out = new double[2];
        for (int i = 0; i < 32; i++) {
            x[i % 20] = i;
            batch.addClass(x, i % 2);
        }
        for (int i = 0; i < 5_000; i++) {
            model.step(batch);
            model.predict(x, out);
        }

        int steps = 2_000;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            model.step(batch);
        }
        long stepBytes = THREADS.getCurrentThreadAllocatedBytes() - before;

        int predictions = 20_000;
        before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < predictions; i++) {
            model.predict(x, out);
        }
        long predictBytes = THREADS.getCurrentThreadAllocatedBytes() - before;

        // at most the StepResult of each step (about 40 bytes), nothing that grows with examples
        assertTrue(stepBytes <= 64L * steps, stepBytes + " bytes for " + steps + " steps");
        assertTrue(predictBytes <= 1024, predictBytes + " bytes for " + predictions + " predictions");
    }
}
