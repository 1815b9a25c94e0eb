package io.streamprop.bench;

import io.streamprop.nn.EjmlProducts;
import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import io.streamprop.nn.NetworkSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.ejml.ops.ConvertMatrixData;

/**
 * Measures the network core alone: training and prediction examples per second for each shape,
 * the GFLOP/s its training step achieves, and, in the same run, the GFLOP/s of EJML's plain
 * products of the same sizes and transpositions, in double precision as the network uses and in
 * single precision for reference. Each figure is taken after a warm-up, on seeded
 * random data prepared beforehand; step and product rates are the medians of alternating rounds.
 */
public final class CoreBenchmark {
    private static final int BATCH_POOL = 16;
    /** Alternating measuring rounds per shape; medians are reported. */
    private static final int ROUNDS = 5;

    private final double warmupSeconds;
    private final double measureSeconds;

    public CoreBenchmark(double warmupSeconds, double measureSeconds) {
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
    }

    /**
     * What one shape measured. Rates are per second; FLOP rates count the products only;
     * {@code ejmlFloatGflops} is EJML's rate for the same products in single precision.
     */
    public record Result(BenchmarkShape shape, double trainExamplesPerSecond,
                         double predictExamplesPerSecond, double stepGflops, double ejmlGflops,
                         double ejmlFloatGflops, double productShareOfStep) {
        public double ratio() {
            return stepGflops / ejmlGflops;
        }

        /** The numbers on one line, for a parent process to read back with {@link #fromLine}. */
        public String toLine() {
            return trainExamplesPerSecond + " " + predictExamplesPerSecond + " " + stepGflops + " "
                    + ejmlGflops + " " + ejmlFloatGflops + " " + productShareOfStep;
        }

        static Result fromLine(BenchmarkShape shape, String line) {
            String[] v = line.trim().split(" ");
            return new Result(shape, Double.parseDouble(v[0]), Double.parseDouble(v[1]),
                    Double.parseDouble(v[2]), Double.parseDouble(v[3]), Double.parseDouble(v[4]),
                    Double.parseDouble(v[5]));
        }
    }

    /** Marks the line that carries a child JVM's result. */
    public static final String RESULT_PREFIX = "core-benchmark-result ";

    /**
     * Measures {@code shape} in a fresh JVM on this classpath, running {@code command} (a main
     * class and its arguments) with {@code --child index} and the timings appended; that command
     * must print {@link #RESULT_PREFIX} followed by {@link Result#toLine()}.
     */
    public Result forked(BenchmarkShape shape, int index, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(command);
        cmd.addAll(List.of("--child", String.valueOf(index), "--warmup", String.valueOf(warmupSeconds),
                "--seconds", String.valueOf(measureSeconds)));
        try {
            Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String result = null;
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(RESULT_PREFIX)) {
                        result = line.substring(RESULT_PREFIX.length());
                    }
                }
            }
            int exit = child.waitFor();
            if (exit != 0 || result == null) {
                throw new IllegalStateException("benchmark JVM for " + shape.name() + " exited with "
                        + exit + (result == null ? " and no result" : ""));
            }
            return Result.fromLine(shape, result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a benchmark JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + shape.name(), e);
        }
    }

    /** Measures one shape in this JVM. */
    public Result measure(BenchmarkShape shape) {
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
        List<DMatrixRMaj[]> operands = productOperands(spec, random);
        Runnable products = ejmlProducts(operands);
        Runnable floatProducts = ejmlFloatProducts(operands);
        long[] productCount = {0};
        Runnable countedProducts = () -> {
            products.run();
            productCount[0]++;
        };
        Runnable countedFloatProducts = () -> {
            floatProducts.run();
            productCount[0]++;
        };
        loop(step, warmupSeconds);
        loop(products, warmupSeconds / 2);
        loop(floatProducts, warmupSeconds / 2);

        // alternate the two measurements, so that a change in background load hits both alike
        double window = measureSeconds / ROUNDS;
        double[] stepRates = new double[ROUNDS];
        double[] productRates = new double[ROUNDS];
        double[] floatProductRates = new double[ROUNDS];
        double[] productShares = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            timed.reset();
            stepCount[0] = 0;
            double seconds = loop(step, window);
            stepRates[round] = stepCount[0] / seconds;
            productShares[round] = timed.nanos() / 1e9 / seconds;
            productCount[0] = 0;
            seconds = loop(countedProducts, window);
            productRates[round] = productCount[0] / seconds;
            productCount[0] = 0;
            seconds = loop(countedFloatProducts, window);
            floatProductRates[round] = productCount[0] / seconds;
        }
        double stepsPerSecond = median(stepRates);
        double flops = shape.stepFlops();

        double[] out = new double[spec.outputs()];
        long[] predictCount = {0};
        Runnable predict = () -> model.predict(queries[(int) (predictCount[0]++ & 255)], out);
        loop(predict, warmupSeconds / 2);
        predictCount[0] = 0;
        double predictSeconds = loop(predict, measureSeconds / 2);

        return new Result(shape, stepsPerSecond * spec.batchSize(), predictCount[0] / predictSeconds,
                flops * stepsPerSecond / 1e9, flops * median(productRates) / 1e9,
                flops * median(floatProductRates) / 1e9, median(productShares));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * The operands of one training step's products, per layer: x (batch x in), W (in x out),
     * x W, delta (batch x out), x^T delta, delta W^T; seeded random values where they are read.
     */
    private static List<DMatrixRMaj[]> productOperands(NetworkSpec spec, SplittableRandom random) {
        int batch = spec.batchSize();
        List<DMatrixRMaj[]> layers = new ArrayList<>();
        List<Integer> sizes = spec.layers();
        java.util.Random seeded = new java.util.Random(random.nextLong());
        for (int l = 1; l < sizes.size(); l++) {
            int in = sizes.get(l - 1);
            int out = sizes.get(l);
            layers.add(new DMatrixRMaj[] {
                RandomMatrices_DDRM.rectangle(batch, in, -1, 1, seeded),
                RandomMatrices_DDRM.rectangle(in, out, -1, 1, seeded),
                new DMatrixRMaj(batch, out),
                RandomMatrices_DDRM.rectangle(batch, out, -1, 1, seeded),
                new DMatrixRMaj(in, out),
                new DMatrixRMaj(batch, in)});
        }
        return layers;
    }

    /**
     * EJML's products alone, on the shapes and transpositions of one training step: x W and
     * x^T delta for every layer, and delta W^T for every layer but the first.
     */
    private static Runnable ejmlProducts(List<DMatrixRMaj[]> layers) {
        return () -> {
            for (int l = 0; l < layers.size(); l++) {
                DMatrixRMaj[] m = layers.get(l);
                CommonOps_DDRM.mult(m[0], m[1], m[2]);
                CommonOps_DDRM.multTransA(m[0], m[3], m[4]);
                if (l > 0) {
                    CommonOps_DDRM.multTransB(m[3], m[1], m[5]);
                }
            }
        };
    }

    /** {@link #ejmlProducts} in single precision, on copies of the same operands. */
    private static Runnable ejmlFloatProducts(List<DMatrixRMaj[]> doubles) {
        List<FMatrixRMaj[]> layers = new ArrayList<>();
        for (DMatrixRMaj[] d : doubles) {
            FMatrixRMaj[] f = new FMatrixRMaj[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = new FMatrixRMaj(d[i].numRows, d[i].numCols);
                ConvertMatrixData.convert(d[i], f[i]);
            }
            layers.add(f);
        }
        return () -> {
            for (int l = 0; l < layers.size(); l++) {
                FMatrixRMaj[] m = layers.get(l);
                CommonOps_FDRM.mult(m[0], m[1], m[2]);
                CommonOps_FDRM.multTransA(m[0], m[3], m[4]);
                if (l > 0) {
                    CommonOps_FDRM.multTransB(m[3], m[1], m[5]);
                }
            }
        };
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
