package io.streamprop.bench;

import io.streamprop.nn.Activation;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.nn.OptimizerSpec;
import java.util.List;

/** A network shape that the core benchmark measures, with the spec it is trained under. */
public record BenchmarkShape(String name, NetworkSpec spec) {

    /** The three shapes of the core benchmark: the tutorial's, a tabular one, and MNIST's. */
    public static List<BenchmarkShape> standard() {
        return List.of(
                new BenchmarkShape("3-2-1 sigmoid, MSE, SGD, batch 4",
                        NetworkSpec.builder(3, 2, 1).hiddenActivation(Activation.SIGMOID)
                                .outputActivation(Activation.SIGMOID).optimizer(OptimizerSpec.sgd(1.0))
                                .batchSize(4).build()),
                new BenchmarkShape("20-64-64-2 ReLU, softmax, Adam, batch 32",
                        NetworkSpec.builder(20, 64, 64, 2).multiClassifier().batchSize(32).build()),
                new BenchmarkShape("784-256-10 ReLU, softmax, Adam, batch 64",
                        NetworkSpec.builder(784, 256, 10).multiClassifier().batchSize(64).build()));
    }

    /**
     * FLOPs of the matrix products in one training step: for each layer the forward product
     * and the weight gradient, and for every layer but the first the gradient of its input.
     */
    public long stepFlops() {
        long flops = 0;
        List<Integer> sizes = spec.layers();
        long batch = spec.batchSize();
        for (int l = 1; l < sizes.size(); l++) {
            long product = 2L * batch * sizes.get(l - 1) * sizes.get(l);
            flops += l == 1 ? 2 * product : 3 * product;
        }
        return flops;
    }
}
