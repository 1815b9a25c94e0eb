package io.streamprop.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The rotating hyperplane stream (G. Hulten, L. Spencer and P. Domingos, "Mining time-changing
 * data streams", KDD 2001), in the form of MOA's hyperplane generator. Each example is a point x
 * drawn uniformly from [0, 1]^d, labelled 1 when sum_i w_i x_i &gt;= w_0 with
 * w_0 = (1/2) sum_i w_i, else 0, so that the classes are balanced whatever the weights. Class
 * noise flips each label with probability {@code noise}.
 *
 * <p>The weights start uniform in [0, 1]. Drift: after each example, each of the first
 * {@code driftingFeatures} weights moves by {@code magnitude} t in its direction s_i (initially
 * +1): w_i += s_i t; then s_i reverses with probability {@code reversalProbability}. The
 * hyperplane thus turns smoothly, at a speed set by t. MOA's defaults are 10 features, 2 of them
 * drifting, 5% noise and 10% reversals.
 */
public final class RotatingHyperplaneStream {
    private final int features;
    private final int driftingFeatures;
    private final double magnitude;
    private final double reversalProbability;
    private final double noise;
    private final SplittableRandom random;
    private final double[] weights;
    private final double[] directions;

    /**
     * @param features            d, the number of features
     * @param driftingFeatures    how many weights drift (the first ones), in [0, d]
     * @param magnitude           t, how far a drifting weight moves per example, &gt;= 0
     * @param reversalProbability the probability, per example and weight, that a drift reverses
     * @param noise               the probability of flipping a label
     */
    public RotatingHyperplaneStream(int features, int driftingFeatures, double magnitude,
                                    double reversalProbability, double noise, long seed) {
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1, got " + features);
        }
        if (driftingFeatures < 0 || driftingFeatures > features) {
            throw new IllegalArgumentException("driftingFeatures must be in [0, " + features + "], got "
                    + driftingFeatures);
        }
        if (!(magnitude >= 0.0) || Double.isInfinite(magnitude)) {
            throw new IllegalArgumentException("magnitude must be a finite number >= 0, got " + magnitude);
        }
        requireProbability("reversalProbability", reversalProbability);
        requireProbability("noise", noise);
        this.features = features;
        this.driftingFeatures = driftingFeatures;
        this.magnitude = magnitude;
        this.reversalProbability = reversalProbability;
        this.noise = noise;
        this.random = new SplittableRandom(seed);
        this.weights = new double[features];
        this.directions = new double[driftingFeatures];
        for (int i = 0; i < features; i++) {
            weights[i] = random.nextDouble();
        }
        Arrays.fill(directions, 1.0);
    }

    public int features() {
        return features;
    }

    public int classes() {
        return 2;
    }

    /** A copy of the weights w_1..w_d the next example will be labelled by. */
    public double[] weights() {
        return weights.clone();
    }

    /** Writes the next example's features into {@code x} and returns its label. */
    public int next(double[] x) {
        double dot = 0.0;
        double sum = 0.0;
        for (int i = 0; i < features; i++) {
            x[i] = random.nextDouble();
            dot += weights[i] * x[i];
            sum += weights[i];
        }
        // label = [sum_i w_i x_i >= w_0], w_0 = sum_i w_i / 2
        int label = dot >= 0.5 * sum ? 1 : 0;
        if (random.nextDouble() < noise) {
            label = 1 - label;
        }
        drift();
        return label;
    }

    private void drift() {
        for (int i = 0; i < driftingFeatures; i++) {
            // w_i += s_i t, then s_i = -s_i with probability p
            weights[i] += directions[i] * magnitude;
            if (random.nextDouble() < reversalProbability) {
                directions[i] = -directions[i];
            }
        }
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
        }
    }
}
