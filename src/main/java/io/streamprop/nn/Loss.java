package io.streamprop.nn;

import java.util.Locale;

/**
 * Training losses. The batch loss is the mean over the examples of a per-example loss:
 * <ul>
 *   <li>{@link #MSE}: the mean over output units of (a - t)^2;</li>
 *   <li>{@link #BINARY_CROSS_ENTROPY}: on sigmoid outputs, the sum over output units of
 *       -t log(a) - (1 - t) log(1 - a), computed from the logits z as
 *       max(z, 0) - z t + log(1 + exp(-|z|));</li>
 *   <li>{@link #CATEGORICAL_CROSS_ENTROPY}: on softmax outputs, -sum_k t_k log(a_k), computed as
 *       logsumexp(z) - sum_k t_k z_k for targets that sum to one.</li>
 * </ul>
 * Both cross-entropies are fused with their output activation: the gradient with respect to the
 * logits is simply (a - t) / batch, so neither log(0) nor exp overflow can occur.
 */
public enum Loss {
    MSE,
    BINARY_CROSS_ENTROPY,
    CATEGORICAL_CROSS_ENTROPY;

    /** The name used in specs, such as {@code binary_cross_entropy}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The loss of one example, from its logits {@code z} and outputs {@code a} (both starting at
     * {@code offset}) and its target {@code t} (starting at {@code targetOffset}).
     */
    double exampleLoss(double[] z, double[] a, int offset, double[] t, int targetOffset, int n) {
        double sum = 0.0;
        switch (this) {
            case MSE:
                for (int k = 0; k < n; k++) {
                    double d = a[offset + k] - t[targetOffset + k];
                    sum += d * d;
                }
                return sum / n;
            case BINARY_CROSS_ENTROPY:
                for (int k = 0; k < n; k++) {
                    double zk = z[offset + k];
                    double tk = t[targetOffset + k];
                    sum += Math.max(zk, 0.0) - zk * tk + Math.log1p(Math.exp(-Math.abs(zk)));
                }
                return sum;
            case CATEGORICAL_CROSS_ENTROPY:
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    max = Math.max(max, z[offset + k]);
                }
                double expSum = 0.0;
                double targetSum = 0.0;
                double dot = 0.0;
                for (int k = 0; k < n; k++) {
                    double zk = z[offset + k];
                    double tk = t[targetOffset + k];
                    expSum += Math.exp(zk - max);
                    targetSum += tk;
                    dot += tk * zk;
                }
                return targetSum * (max + Math.log(expSum)) - dot;
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Writes into {@code delta} the gradient of the batch loss with respect to the logits of the
     * output layer, for {@code rows} examples of {@code n} outputs.
     */
    void outputDelta(Activation output, double[] a, double[] t, double[] delta, int rows, int n,
                     double leakySlope) {
        int size = rows * n;
        if (this == MSE) {
            // dL/da = 2 (a - t) / (n * rows), then delta = dL/da * f'(z)
            double scale = 2.0 / ((double) n * rows);
            for (int i = 0; i < size; i++) {
                delta[i] = scale * (a[i] - t[i]);
            }
            output.multiplyByDerivative(delta, a, size, leakySlope);
        } else {
            // fused sigmoid + BCE and softmax + CE: delta = (a - t) / rows
            double scale = 1.0 / rows;
            for (int i = 0; i < size; i++) {
                delta[i] = scale * (a[i] - t[i]);
            }
        }
    }
}
