package io.streamprop.nn;

import java.util.Locale;

/**
 * Element-wise activation functions of a layer. Every derivative is expressed through the
 * activation's output {@code a}, so a layer only has to keep its outputs for the backward pass.
 * Softmax acts on a whole row and is only allowed on the output layer, where it is fused with
 * categorical cross-entropy.
 */
public enum Activation {
    IDENTITY,
    SIGMOID,
    TANH,
    RELU,
    LEAKY_RELU,
    SOFTMAX;

    /** The name used in specs: lower case with underscores, as in {@code leaky_relu}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Applies this activation in place to {@code rows} rows of {@code cols} values.
     *
     * @param data row-major values, modified
     * @param leakySlope slope of {@link #LEAKY_RELU} below zero
     */
    void apply(double[] data, int rows, int cols, double leakySlope) {
        int n = rows * cols;
        switch (this) {
            case IDENTITY:
                break;
            case SIGMOID:
                for (int i = 0; i < n; i++) {
                    data[i] = sigmoid(data[i]);
                }
                break;
            case TANH:
                for (int i = 0; i < n; i++) {
                    data[i] = Math.tanh(data[i]);
                }
                break;
            case RELU:
                for (int i = 0; i < n; i++) {
                    data[i] = Math.max(0.0, data[i]);
                }
                break;
            case LEAKY_RELU:
                for (int i = 0; i < n; i++) {
                    double z = data[i];
                    data[i] = z > 0 ? z : leakySlope * z;
                }
                break;
            case SOFTMAX:
                for (int r = 0; r < rows; r++) {
                    softmaxRow(data, r * cols, cols);
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Multiplies {@code grad} in place by f'(z), computed from the outputs {@code a = f(z)}.
     * Not defined for softmax, whose Jacobian is never needed on its own.
     */
    void multiplyByDerivative(double[] grad, double[] a, int n, double leakySlope) {
        switch (this) {
            case IDENTITY:
                break;
            case SIGMOID:
                // f'(z) = a (1 - a)
                for (int i = 0; i < n; i++) {
                    grad[i] *= a[i] * (1.0 - a[i]);
                }
                break;
            case TANH:
                // f'(z) = 1 - a^2
                for (int i = 0; i < n; i++) {
                    grad[i] *= 1.0 - a[i] * a[i];
                }
                break;
            case RELU:
                for (int i = 0; i < n; i++) {
                    if (a[i] <= 0) {
                        grad[i] = 0.0;
                    }
                }
                break;
            case LEAKY_RELU:
                for (int i = 0; i < n; i++) {
                    if (a[i] <= 0) {
                        grad[i] *= leakySlope;
                    }
                }
                break;
            default:
                throw new IllegalStateException(this + " has no element-wise derivative");
        }
    }

    /** A sigmoid that never overflows: exp is only taken of non-positive numbers. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** Replaces {@code n} logits starting at {@code offset} by their softmax, shifted by the maximum. */
    static void softmaxRow(double[] data, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + n; i++) {
            max = Math.max(max, data[i]);
        }
        double sum = 0.0;
        for (int i = offset; i < offset + n; i++) {
            double e = Math.exp(data[i] - max);
            data[i] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int i = offset; i < offset + n; i++) {
            data[i] *= inv;
        }
    }
}
