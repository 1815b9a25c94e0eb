package io.streamprop.cli;

import io.streamprop.data.SpiralStream;
import io.streamprop.nn.Activation;
import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.nn.OptimizerSpec;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code streamprop demo}: trains a network online on a built-in stream and shows it learn.
 * Each example is first predicted (and scored) with the current weights, then learned from,
 * which is the test-then-train order of the Kafka topology.
 */
// TODO(#4): run the demo through Kafka (embedded broker, topology, producer) instead of in memory.
final class DemoCommand implements Command {
    private static final int WINDOW = 2000;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "watch a network learn a built-in stream (three interleaved spirals)";
    }

    @Override
    public String usage() {
        return "Usage: streamprop demo [--examples N] [--every N] [--seed N]\n\n"
                + "Streams points of three interleaved spirals to a 2-32-32-3 tanh network with softmax,\n"
                + "cross-entropy and Adam, in mini-batches of 16. Every example is predicted before it is\n"
                + "learned from; progress lines show the prequential accuracy and loss over the last\n"
                + WINDOW + " examples.\n\n"
                + "  --examples N  examples to stream (default 200000)\n"
                + "  --every N     examples between progress lines (default 10000)\n"
                + "  --seed N      seed of the stream and the initial weights (default 1)\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
        Options options = Options.parse(args, Set.of("examples", "every", "seed"), Set.of());
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        long total = options.longValue("examples", 200_000, 1);
        long every = options.longValue("every", 10_000, 1);
        long seed = options.longValue("seed", 1, Long.MIN_VALUE);

        NetworkSpec spec = NetworkSpec.builder(2, 32, 32, 3).hiddenActivation(Activation.TANH)
                .multiClassifier().optimizer(OptimizerSpec.adam(0.01)).batchSize(16).seed(seed).build();
        Model model = Model.create(spec);
        MiniBatch batch = MiniBatch.forSpec(spec);
        SpiralStream stream = new SpiralStream(3, 0.15, seed);
        out.printf("Streaming %,d examples of 3 spirals to a %s network (%d parameters)%n", total,
                spec.layers(), spec.parameterCount());
        out.printf("%12s %10s %10s %9s %12s%n", "examples", "accuracy", "loss", "version", "examples/s");

        boolean[] hits = new boolean[WINDOW];
        double[] losses = new double[WINDOW];
        double[] x = new double[2];
        double[] target = new double[3];
        double[] out3 = new double[3];
        long start = System.nanoTime();
        long correctTotal = 0;
        for (long n = 1; n <= total; n++) {
            int label = stream.next(x);
            java.util.Arrays.fill(target, 0);
            target[label] = 1;
            int slot = (int) (n % WINDOW);
            losses[slot] = model.predictAndScore(x, target, out3);
            hits[slot] = argMax(out3) == label;
            correctTotal += hits[slot] ? 1 : 0;
            batch.addClass(x, label);
            if (batch.isFull()) {
                model.step(batch);
                batch.clear();
            }
            if (n % every == 0 || n == total) {
                int window = (int) Math.min(n, WINDOW);
                out.printf("%,12d %9.2f%% %10.4f %9d %,12.0f%n", n, 100.0 * count(hits, window) / window,
                        mean(losses, window), model.updatesApplied(), n / seconds(start));
            }
        }
        out.printf("Done: %,d examples in %.1f s, %,d updates, prequential accuracy %.2f%% overall%n",
                total, seconds(start), model.updatesApplied(), 100.0 * correctTotal / total);
        return 0;
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    private static int count(boolean[] hits, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += hits[i] ? 1 : 0;
        }
        return c;
    }

    private static double mean(double[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
