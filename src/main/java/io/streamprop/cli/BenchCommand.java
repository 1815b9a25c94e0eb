package io.streamprop.cli;

import io.streamprop.bench.BenchmarkShape;
import io.streamprop.bench.CoreBenchmark;
import io.streamprop.bench.EndToEndBenchmark;
import io.streamprop.bench.NumpyReference;
import java.io.PrintStream;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code streamprop bench core}: the network core's speed against EJML's and numpy's products. */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure speed: 'bench core' times the network maths alone";
    }

    private int endToEnd(Options options, PrintStream out) throws Exception {
        double scale = options.doubleValue("scale", 1);
        double latencySeconds = options.doubleValue("latency-seconds", 15);
        out.printf("Streamprop end-to-end benchmark: exactly-once, broker in a separate process, Java %s on %d"
                + " cores%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        if (options.has("set")) {
            for (String pair : options.text("set").split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--set expects NAME=VALUE[,NAME=VALUE...], got '" + pair + "'");
                }
                settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            out.println("with " + settings);
        }
        List<EndToEndBenchmark.Workload> workloads = EndToEndBenchmark.Workload.standard(scale).stream()
                .filter(w -> !options.has("only") || w.name().startsWith(options.text("only")))
                .collect(Collectors.toList());
        if (workloads.isEmpty()) {
            throw new UsageException("no workload starts with '" + options.text("only") + "'");
        }
        List<EndToEndBenchmark.Result> results = new EndToEndBenchmark(latencySeconds, settings,
                line -> out.println("  " + line)).run(workloads);
        out.println();
        out.printf("%-22s %10s %10s %9s %8s %8s %9s %10s %8s %8s %11s %11s%n", "workload", "learner/s",
                "passthru/s", "core/s", "of pass", "of core", "bound/pt", "latency@/s", "p50 ms", "p99 ms",
                "heap peak", "heap live");
        for (EndToEndBenchmark.Result r : results) {
            out.printf("%-22s %10.0f %10.0f %9.0f %8.2f %8.2f %9.2f %10.0f %8.0f %8.0f %10.1fM %10.1fM%n",
                    r.workload().name(), r.learnerRate(), r.passThroughRate(), r.coreRate(), r.ofPassThrough(),
                    r.ofCore(), r.serialBound() / r.passThroughRate(), r.latencyRate(), r.p50Millis(),
                    r.p99Millis(), r.peakHeapBytes() / 1048576.0, r.heapAfterGcBytes() / 1048576.0);
        }
        out.println();
        out.println("learner, passthru, core: examples/s over the second half of the same pre-produced stream");
        out.println("(the first half warms up); core: parse + test-then-train in memory; bound/pt: the rate");
        out.println("1/(1/core + 1/passthru) of a learner doing the core's work and the pass-through's one after");
        out.println("the other, as a share of pass-through; latency: produce to committed prediction, at half");
        out.println("the learner's rate; heap: above the benchmark's own data, peak while running and live");
        out.println("after a GC.");
        return 0;
    }

    @Override
    public String usage() {
        return "Usage: streamprop bench core [--warmup SECONDS] [--seconds SECONDS] [--no-numpy]\n"
                + "       streamprop bench e2e [--scale X] [--latency-seconds SECONDS]\n\n"
                + "e2e: starts a broker process and measures the learner with exactly-once against a\n"
                + "pass-through Streams app and the in-memory core, then its latency at half its rate.\n"
                + "  --scale X                multiply the number of examples (default 1: 600,000 and 60,000)\n"
                + "  --latency-seconds SECONDS  how long to produce at half rate (default 15)\n"
                + "  --set NAME=VALUE[,...]   extra settings for both Streams apps, e.g. commit.interval.ms=500\n"
                + "  --only PREFIX            only the workloads whose name starts so, e.g. 784\n\n"
                + "core:\n"
                + "Trains and predicts three network shapes on random data and prints examples per\n"
                + "second, the GFLOP/s of the training step's matrix products, the GFLOP/s of EJML's\n"
                + "plain products of the same sizes measured in the same run, and, when python3 with\n"
                + "numpy is installed, numpy's single-threaded rate for the same products.\n\n"
                + "  --warmup SECONDS   warm-up per measurement (default 3)\n"
                + "  --seconds SECONDS  measuring window per measurement (default 5)\n"
                + "  --only PREFIX      measure only the shapes whose name starts so, e.g. 784-256-10\n"
                + "  --no-numpy         skip the numpy reference\n"
                + "  --in-process       measure every shape in this JVM (by default each shape runs in\n"
                + "                     a fresh JVM, so that one shape's JIT profile cannot slow another)\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options options = Options.parse(args, Set.of("warmup", "seconds", "only", "child", "scale",
                "latency-seconds", "set"), Set.of("no-numpy", "in-process"));
        if (options.positional().equals(List.of("e2e"))) {
            return endToEnd(options, out);
        }
        if (!options.positional().equals(List.of("core"))) {
            throw new UsageException("expected 'core' or 'e2e', got " + options.positional());
        }
        double warmup = options.doubleValue("warmup", 3);
        double seconds = options.doubleValue("seconds", 5);
        List<BenchmarkShape> shapes = BenchmarkShape.standard();
        if (options.has("only")) {
            String prefix = options.text("only");
            shapes = shapes.stream().filter(s -> s.name().startsWith(prefix)).collect(Collectors.toList());
            if (shapes.isEmpty()) {
                throw new UsageException("no shape starts with '" + prefix + "'");
            }
        }

        CoreBenchmark benchmark = new CoreBenchmark(warmup, seconds);
        if (options.has("child")) {
            // one shape, measured in this fresh JVM for a parent run; see CoreBenchmark.forked
            int index = (int) options.longValue("child", 0, 0);
            out.println(CoreBenchmark.RESULT_PREFIX + benchmark.measure(shapes.get(index)).toLine());
            return 0;
        }
        out.printf("Streamprop core benchmark: EJML double precision, one thread, Java %s on %d cores%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<CoreBenchmark.Result> results = new java.util.ArrayList<>();
        for (BenchmarkShape shape : shapes) {
            out.println("  measuring " + shape.name() + " ...");
            results.add(options.has("in-process") ? benchmark.measure(shape)
                    : benchmark.forked(shape, BenchmarkShape.standard().indexOf(shape),
                            List.of(Streamprop.class.getName(), "bench", "core")));
        }
        List<OptionalDouble> numpy = options.has("no-numpy")
                ? shapes.stream().map(s -> OptionalDouble.empty()).collect(Collectors.toList())
                : NumpyReference.rates(shapes.stream().map(BenchmarkShape::spec).collect(Collectors.toList()));

        out.println();
        out.printf("%-42s %11s %13s %10s %10s %9s %7s %9s %10s%n", "shape", "train ex/s", "predict ex/s",
                "step GF/s", "EJML GF/s", "EJML f32", "ratio", "products", "numpy GF/s");
        for (int i = 0; i < results.size(); i++) {
            CoreBenchmark.Result r = results.get(i);
            OptionalDouble np = numpy.get(i);
            out.printf("%-42s %11.0f %13.0f %10.3f %10.3f %9.3f %7.2f %8.0f%% %10s%n", r.shape().name(),
                    r.trainExamplesPerSecond(), r.predictExamplesPerSecond(), r.stepGflops(),
                    r.ejmlGflops(), r.ejmlFloatGflops(), r.ratio(), 100 * r.productShareOfStep(),
                    np.isPresent() ? String.format("%.2f", np.getAsDouble()) : "n/a");
        }
        out.println();
        out.println("step GF/s: FLOPs of the step's matrix products / step time; EJML GF/s: the same"
                + " products alone;");
        out.println("EJML f32: the same products in single precision; ratio = step / EJML; products: share of");
        out.println("step time spent in the products; numpy: float64, 1 thread.");
        return 0;
    }
}
