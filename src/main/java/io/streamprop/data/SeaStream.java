package io.streamprop.data;

import java.util.SplittableRandom;

/**
 * The SEA concepts stream, with abrupt drift (W. N. Street and Y. Kim, "A streaming ensemble
 * algorithm (SEA) for large-scale classification", KDD 2001). Each example has three features
 * drawn uniformly from [0, 10]; only the first two matter: the label is 1 when f1 + f2 &lt;= theta,
 * else 0. The threshold theta steps through 8, 9, 7 and 9.5, one concept per
 * {@code conceptLength} examples, then starts over at 8, so the concept changes abruptly every
 * {@code conceptLength} examples. Class noise: each label is flipped with probability
 * {@code noise} (the paper uses 10%).
 *
 * <p>Street and Kim used 4 concepts of 12,500 examples; the noise-free share of class 1 is
 * theta^2 / 200 (0.32, 0.405, 0.245 and 0.45125).
 */
public final class SeaStream {
    /** The thresholds of the four concepts, in order. */
    private static final double[] THRESHOLDS = {8.0, 9.0, 7.0, 9.5};
    private static final double RANGE = 10.0;

    private final long conceptLength;
    private final double noise;
    private final SplittableRandom random;
    private long generated;

    /**
     * @param conceptLength the number of examples of each concept
     * @param noise         the probability of flipping a label, in [0, 1]
     */
    public SeaStream(long conceptLength, double noise, long seed) {
        if (conceptLength < 1) {
            throw new IllegalArgumentException("conceptLength must be >= 1, got " + conceptLength);
        }
        if (!(noise >= 0.0 && noise <= 1.0)) {
            throw new IllegalArgumentException("noise must be a probability in [0, 1], got " + noise);
        }
        this.conceptLength = conceptLength;
        this.noise = noise;
        this.random = new SplittableRandom(seed);
    }

    public int features() {
        return 3;
    }

    public int classes() {
        return 2;
    }

    /** The number of examples generated so far. */
    public long generated() {
        return generated;
    }

    /** The index (0 to 3) of the concept the next example will follow. */
    public int concept() {
        return (int) ((generated / conceptLength) % THRESHOLDS.length);
    }

    /** The threshold theta the next example will follow. */
    public double threshold() {
        return THRESHOLDS[concept()];
    }

    /** Writes the next example's three features into {@code x} and returns its label. */
    public int next(double[] x) {
        double theta = threshold();
        for (int j = 0; j < 3; j++) {
            x[j] = random.nextDouble(0.0, RANGE);
        }
        int label = x[0] + x[1] <= theta ? 1 : 0;
        if (random.nextDouble() < noise) {
            label = 1 - label;
        }
        generated++;
        return label;
    }
}
