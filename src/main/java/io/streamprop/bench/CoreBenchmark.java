package io.streamprop.bench;

import io.streamprop.nn.EjmlProducts;
import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import io.streamprop.nn.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;

/**
 * Measures the network core alone: training and prediction examples per second for each shape,
 * the GFLOP/s its training step achieves, and, in the same run, the GFLOP/s of EJML's plain
 * products of the same sizes and transpositions. Each figure is taken after a warm-up, over a
 * fixed wall-clock window, on seeded random data prepared beforehand.
 */
public final class CoreBenchmark {
    private static final int BATCH_POOL = 16;

    private final double warmupSeconds;
    private final double measureSeconds;

    public CoreBenchmark(double warmupSeconds, double measureSeconds) {
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
    }

    /** What one shape measured. Rates are per second; FLOP rates count the products only. */
    public record Result(BenchmarkShape shape, double trainExamplesPerSecond,
                         double predictExamplesPerSecond, double stepGflops, double ejmlGflops,
                         double productShareOfStep) {
        public double ratio() {
            return stepGflops / ejmlGflops;
        }
    }

    public List<Result> run(List<BenchmarkShape> shapes, Consumer<String> progress) {
        List<Result> results = new ArrayList<>();
        for (BenchmarkShape shape : shapes) {
            progress.accept("measuring " + shape.name());
            results.add(measure(shape));
        }
        return results;
    }

    Result measure(BenchmarkShape shape) {
        NetworkSpec spec = shape.spec();
        SplittableRandom random = new SplittableRandom(2026);
        List<MiniBatch> batches = randomBatches(spec, random);
        double[][] queries = new double[256][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = randomRow(spec.inputs(), random);
        }

        TimedProducts timed = new TimedProducts(EjmlProducts.INSTANCE);
        Model model = Model.create(spec, timed);
        long[] stepCount = {0};
        Runnable step = () -> model.step(batches.get((int) (stepCount[0]++ % BATCH_POOL)));
        loop(step, warmupSeconds);
        timed.reset();
        stepCount[0] = 0;
        double trainSeconds = loop(step, measureSeconds);
        long steps = stepCount[0];
        double productShare = timed.nanos() / 1e9 / trainSeconds;
        double stepGflops = shape.stepFlops() * steps / trainSeconds / 1e9;

        double[] out = new double[spec.outputs()];
        long[] predictCount = {0};
        Runnable predict = () -> model.predict(queries[(int) (predictCount[0]++ & 255)], out);
        loop(predict, warmupSeconds / 2);
        predictCount[0] = 0;
        double predictSeconds = loop(predict, measureSeconds / 2);

        double ejmlGflops = ejmlProductRate(spec, random);
        return new Result(shape, steps * spec.batchSize() / trainSeconds,
                predictCount[0] / predictSeconds, stepGflops, ejmlGflops, productShare);
    }

    /**
     * GFLOP/s of EJML's products alone, on the shapes and transpositions of one training step:
     * x W, x^T delta, and delta W^T for every layer but the first.
     */
    private double ejmlProductRate(NetworkSpec spec, SplittableRandom random) {
        int batch = spec.batchSize();
        List<DMatrixRMaj[]> forward = new ArrayList<>();
        List<Integer> sizes = spec.layers();
        java.util.Random seeded = new java.util.Random(random.nextLong());
        for (int l = 1; l < sizes.size(); l++) {
            int in = sizes.get(l - 1);
            int out = sizes.get(l);
            forward.add(new DMatrixRMaj[] {
                RandomMatrices_DDRM.rectangle(batch, in, -1, 1, seeded),
                RandomMatrices_DDRM.rectangle(in, out, -1, 1, seeded),
                new DMatrixRMaj(batch, out),
                RandomMatrices_DDRM.rectangle(batch, out, -1, 1, seeded),
                new DMatrixRMaj(in, out),
                new DMatrixRMaj(batch, in)});
        }
        Runnable products = () -> {
            for (int l = 0; l < forward.size(); l++) {
                DMatrixRMaj[] m = forward.get(l);
                CommonOps_DDRM.mult(m[0], m[1], m[2]);
                CommonOps_DDRM.multTransA(m[0], m[3], m[4]);
                if (l > 0) {
                    CommonOps_DDRM.multTransB(m[3], m[1], m[5]);
                }
            }
        };
        long[] count = {0};
        Runnable counted = () -> {
            products.run();
            count[0]++;
        };
        loop(counted, warmupSeconds / 2);
        count[0] = 0;
        double seconds = loop(counted, measureSeconds / 2);
        long flopsPerRound = new BenchmarkShape("", spec).stepFlops();
        return flopsPerRound * count[0] / seconds / 1e9;
    }

    /** Runs {@code body} repeatedly for about {@code seconds}; returns the exact elapsed time. */
    private static double loop(Runnable body, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < 8; i++) {
                body.run();
            }
            now = System.nanoTime();
        } while (now < deadline);
        return (now - start) / 1e9;
    }

    private static List<MiniBatch> randomBatches(NetworkSpec spec, SplittableRandom random) {
        List<MiniBatch> batches = new ArrayList<>();
        for (int b = 0; b < BATCH_POOL; b++) {
            MiniBatch batch = MiniBatch.forSpec(spec);
            while (!batch.isFull()) {
                double[] x = randomRow(spec.inputs(), random);
                if (spec.outputs() > 1) {
                    batch.addClass(x, random.nextInt(spec.outputs()));
                } else {
                    batch.add(x, new double[] {random.nextInt(2)});
                }
            }
            batches.add(batch);
        }
        return batches;
    }

    private static double[] randomRow(int n, SplittableRandom random) {
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = random.nextDouble();
        }
        return x;
    }
}
