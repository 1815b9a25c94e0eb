package io.streamprop.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The random radial basis function stream with moving centroids (A. Bifet, G. Holmes,
 * B. Pfahringer, R. Kirkby and R. Gavaldà, "New ensemble methods for evolving data streams",
 * KDD 2009; MOA's RandomRBFGeneratorDrift). The model is a set of centroids, each with a centre
 * drawn uniformly from [0, 1]^d, a class drawn uniformly, a standard deviation and a weight both
 * drawn uniformly from [0, 1]. An example picks a centroid with probability proportional to its
 * weight, then lies at centre + r u, with u a random unit direction and r drawn from a normal
 * distribution of mean 0 and the centroid's standard deviation; its label is the centroid's class.
 *
 * <p>Drift: the first {@code driftingCentroids} centroids each move, before every example, a
 * distance {@code speed} along their own random unit direction, and bounce off the walls of the
 * unit cube (a coordinate that would leave [0, 1] is reflected back inside and that component of
 * the direction reversed), so centres always stay in the cube. Points, being Gaussian, may lie
 * outside it. MOA's defaults: 10 features, 2 classes, 50 centroids.
 */
public final class RandomRbfStream {
    private final int features;
    private final int classes;
    private final int driftingCentroids;
    private final double speed;
    private final SplittableRandom random;
    private final double[][] centres;
    private final double[][] velocities;
    private final int[] labels;
    private final double[] deviations;
    private final double[] weights;
    private final double[] cumulativeWeights;
    private final double[] direction;

    /**
     * @param features          d, the number of features
     * @param classes           the number of classes, &gt;= 2
     * @param centroids         the number of centroids, &gt;= 1
     * @param driftingCentroids how many of them move, in [0, centroids]
     * @param speed             the distance a moving centroid travels per example, in [0, 1]
     */
    public RandomRbfStream(int features, int classes, int centroids, int driftingCentroids, double speed,
                           long seed) {
        validate(features, classes, centroids, driftingCentroids, speed);
        this.features = features;
        this.classes = classes;
        this.driftingCentroids = driftingCentroids;
        this.speed = speed;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom model = root.split();
        this.random = root.split();
        centres = new double[centroids][features];
        labels = new int[centroids];
        deviations = new double[centroids];
        weights = new double[centroids];
        cumulativeWeights = new double[centroids];
        double total = 0.0;
        for (int c = 0; c < centroids; c++) {
            for (int j = 0; j < features; j++) {
                centres[c][j] = model.nextDouble();
            }
            labels[c] = model.nextInt(classes);
            deviations[c] = model.nextDouble();
            weights[c] = model.nextDouble();
            total += weights[c];
            cumulativeWeights[c] = total;
        }
        velocities = new double[driftingCentroids][features];
        for (double[] v : velocities) {
            randomUnitVector(model, v);
        }
        direction = new double[features];
    }

    private static void validate(int features, int classes, int centroids, int driftingCentroids, double speed) {
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1, got " + features);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (centroids < 1) {
            throw new IllegalArgumentException("centroids must be >= 1, got " + centroids);
        }
        if (driftingCentroids < 0 || driftingCentroids > centroids) {
            throw new IllegalArgumentException("driftingCentroids must be in [0, " + centroids + "], got "
                    + driftingCentroids);
        }
        if (!(speed >= 0.0 && speed <= 1.0)) {
            throw new IllegalArgumentException("speed must be in [0, 1], got " + speed);
        }
    }

    public int features() {
        return features;
    }

    public int classes() {
        return classes;
    }

    public int centroids() {
        return centres.length;
    }

    /** A copy of centroid {@code c}'s current centre. */
    public double[] centre(int c) {
        return centres[c].clone();
    }

    public int label(int c) {
        return labels[c];
    }

    /** The standard deviation of the distance of centroid {@code c}'s points from its centre. */
    public double deviation(int c) {
        return deviations[c];
    }

    public double weight(int c) {
        return weights[c];
    }

    /** Moves the drifting centroids, then writes the next example's features into {@code x} and returns its label. */
    public int next(double[] x) {
        moveCentroids();
        int c = pickCentroid();
        randomUnitVector(random, direction);
        double radius = random.nextGaussian() * deviations[c];
        for (int j = 0; j < features; j++) {
            x[j] = centres[c][j] + radius * direction[j];
        }
        return labels[c];
    }

    private void moveCentroids() {
        for (int c = 0; c < driftingCentroids; c++) {
            double[] centre = centres[c];
            double[] v = velocities[c];
            for (int j = 0; j < features; j++) {
                double moved = centre[j] + speed * v[j];
                if (moved > 1.0) {
                    moved = 2.0 - moved;
                    v[j] = -v[j];
                } else if (moved < 0.0) {
                    moved = -moved;
                    v[j] = -v[j];
                }
                centre[j] = moved;
            }
        }
    }

    private int pickCentroid() {
        double u = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        int at = Arrays.binarySearch(cumulativeWeights, u);
        // the first centroid whose cumulative weight exceeds u
        int c = at >= 0 ? at + 1 : -at - 1;
        return Math.min(c, cumulativeWeights.length - 1);
    }

    /** Fills {@code v} with a direction drawn uniformly from the unit sphere. */
    private static void randomUnitVector(SplittableRandom random, double[] v) {
        double norm;
        do {
            norm = 0.0;
            for (int j = 0; j < v.length; j++) {
                v[j] = random.nextGaussian();
                norm += v[j] * v[j];
            }
        } while (norm == 0.0);
        norm = Math.sqrt(norm);
        for (int j = 0; j < v.length; j++) {
            v[j] /= norm;
        }
    }
}
