package io.streamprop.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * One fully connected layer, out = f(in W + b), with its parameters, gradients, optimizer
 * moments and the work matrices of the forward and backward passes. Rows are examples. All
 * matrices are allocated here, once, for the largest batch; smaller batches reshape them.
 */
final class DenseLayer {
    final int inputs;
    final int outputs;
    final Activation activation;

    /** Weights, inputs x outputs. */
    final DMatrixRMaj weights;
    /** Biases, 1 x outputs. */
    final DMatrixRMaj bias;
    final DMatrixRMaj weightGrad;
    final DMatrixRMaj biasGrad;
    /** Optimizer moments: index 0 the first (or velocity), index 1 the second. */
    final DMatrixRMaj[] weightMoments;
    final DMatrixRMaj[] biasMoments;

    /** Activations of the last forward pass, batch x outputs. */
    final DMatrixRMaj output;
    /** Pre-activations, kept for the output layer only (the fused losses need them). */
    final DMatrixRMaj logits;
    /** dLoss/dLogits of the last backward pass, batch x outputs. */
    final DMatrixRMaj delta;

    DenseLayer(int inputs, int outputs, Activation activation, int momentBuffers, int maxRows,
               boolean isOutput) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.activation = activation;
        weights = new DMatrixRMaj(inputs, outputs);
        bias = new DMatrixRMaj(1, outputs);
        weightGrad = new DMatrixRMaj(inputs, outputs);
        biasGrad = new DMatrixRMaj(1, outputs);
        weightMoments = new DMatrixRMaj[momentBuffers];
        biasMoments = new DMatrixRMaj[momentBuffers];
        for (int i = 0; i < momentBuffers; i++) {
            weightMoments[i] = new DMatrixRMaj(inputs, outputs);
            biasMoments[i] = new DMatrixRMaj(1, outputs);
        }
        output = new DMatrixRMaj(maxRows, outputs);
        logits = isOutput ? new DMatrixRMaj(maxRows, outputs) : null;
        delta = new DMatrixRMaj(maxRows, outputs);
    }

    /** output = f(input W + b) for the rows of {@code input}. */
    void forward(DMatrixRMaj input, MatrixProducts products, double leakySlope) {
        int rows = input.numRows;
        output.reshape(rows, outputs, false);

        // z = x W + b
        products.mult(input, weights, output);
        double[] z = output.data;
        double[] b = bias.data;
        for (int r = 0, i = 0; r < rows; r++) {
            for (int j = 0; j < outputs; j++, i++) {
                z[i] += b[j];
            }
        }
        if (logits != null) {
            logits.reshape(rows, outputs, false);
            System.arraycopy(z, 0, logits.data, 0, rows * outputs);
        }

        // a = f(z)
        activation.apply(z, rows, outputs, leakySlope);
    }

    /**
     * From {@link #delta}, fills the gradients of W and b, and, when {@code below} is not null,
     * that layer's delta.
     */
    void backward(DMatrixRMaj input, DenseLayer below, MatrixProducts products, double leakySlope) {
        int rows = input.numRows;

        // dW = x^T delta
        products.multTransA(input, delta, weightGrad);

        // db = column sums of delta
        double[] gb = biasGrad.data;
        java.util.Arrays.fill(gb, 0.0);
        double[] d = delta.data;
        for (int r = 0, i = 0; r < rows; r++) {
            for (int j = 0; j < outputs; j++, i++) {
                gb[j] += d[i];
            }
        }

        if (below != null) {
            // delta_below = (delta W^T) * f'(z_below)
            below.delta.reshape(rows, inputs, false);
            products.multTransB(delta, weights, below.delta);
            below.activation.multiplyByDerivative(below.delta.data, below.output.data,
                    rows * inputs, leakySlope);
        }
    }

    /** Adds l2 * W to the weight gradient and returns (l2 / 2) * ||W||^2. */
    double addWeightDecay(double l2) {
        double[] w = weights.data;
        double[] g = weightGrad.data;
        double sq = 0.0;
        for (int i = 0; i < w.length; i++) {
            g[i] += l2 * w[i];
            sq += w[i] * w[i];
        }
        return 0.5 * l2 * sq;
    }

    /** (l2 / 2) * ||W||^2, the weight-decay part of the objective. */
    double weightDecayPenalty(double l2) {
        double sq = 0.0;
        for (double w : weights.data) {
            sq += w * w;
        }
        return 0.5 * l2 * sq;
    }

    double gradientSquaredNorm() {
        double sum = 0.0;
        for (double g : weightGrad.data) {
            sum += g * g;
        }
        for (double g : biasGrad.data) {
            sum += g * g;
        }
        return sum;
    }

    void scaleGradients(double factor) {
        double[] gw = weightGrad.data;
        for (int i = 0; i < gw.length; i++) {
            gw[i] *= factor;
        }
        double[] gb = biasGrad.data;
        for (int i = 0; i < gb.length; i++) {
            gb[i] *= factor;
        }
    }

    long parameterCount() {
        return (long) inputs * outputs + outputs;
    }
}
