package io.streamprop.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The random radial basis function stream with moving centroids, as MOA defines it in
 * {@code moa.streams.generators.RandomRBFGenerator} and {@code RandomRBFGeneratorDrift} (the form
 * used by A. Bifet, G. Holmes, B. Pfahringer, R. Kirkby and R. Gavaldà, "New ensemble methods for
 * evolving data streams", KDD 2009).
 *
 * <p>Model: each centroid draws, in this order, a centre uniform in [0, 1)^d, a class uniform
 * among the classes, a standard deviation uniform in [0, 1) and a weight uniform in [0, 1). An
 * example picks a centroid with probability proportional to its weight and lies at centre + r u,
 * where u has each component uniform in [-1, 1) and is then scaled to unit length (so directions
 * near the cube's diagonals are more likely than on a uniform sphere), and r ~ N(0, sigma^2) with
 * sigma the centroid's standard deviation; its label is the centroid's class. Points are not
 * clamped and may lie outside the cube.
 *
 * <p>Drift: each of the first {@code driftingCentroids} centroids has a direction of motion v,
 * drawn with each component uniform in [0, 1) and scaled to unit length (so all of them set off
 * towards the corner (1, ..., 1)). Before every example each adds {@code speed} v to its centre; a
 * coordinate that passes 1 or 0 is set to that wall and that component of v changes sign, so
 * centres stay in the cube. MOA's defaults: 10 features, 2 classes, 50 centroids, all drifting.
 *
 * <p>Intentionally different: one seeded SplittableRandom replaces MOA's model and instance
 * generators (MOA restarts the model generator for the motions, which so repeat the first centres'
 * draws), and bad parameters are refused, not capped, with {@code speed} at most 1.
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
    private final double[] offset;

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
            drawUnitVector(model, 0.0, v);
        }
        offset = new double[features];
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

    /**
     * A copy of drifting centroid {@code c}'s direction of motion, a unit vector: the centre moves
     * {@code speed} times it before each example.
     */
    public double[] velocity(int c) {
        if (c < 0 || c >= velocities.length) {
            throw new IllegalArgumentException("velocity is defined for the " + velocities.length
                    + " drifting centroids [0, " + velocities.length + "), got centroid " + c);
        }
        return velocities[c].clone();
    }

    /** Moves the drifting centroids, then writes the next example's features into {@code x} and returns its label. */
    public int next(double[] x) {
        moveCentroids();
        int c = pickCentroid();
        drawUnitVector(random, -1.0, offset);
        double radius = random.nextGaussian() * deviations[c];

        // x = centre + r u
        for (int j = 0; j < features; j++) {
            x[j] = centres[c][j] + radius * offset[j];
        }
        return labels[c];
    }

    private void moveCentroids() {
        for (int c = 0; c < driftingCentroids; c++) {
            double[] centre = centres[c];
            double[] v = velocities[c];
            // c_j += speed v_j; past a wall, c_j stops on it and v_j turns back
            for (int j = 0; j < features; j++) {
                double moved = centre[j] + speed * v[j];
                if (moved > 1.0) {
                    moved = 1.0;
                    v[j] = -v[j];
                } else if (moved < 0.0) {
                    moved = 0.0;
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

    /**
     * Fills {@code v} with components drawn uniformly from [{@code low}, 1), then scales it to unit
     * length; the all-zero draw, which has no direction, is drawn again.
     */
    private static void drawUnitVector(SplittableRandom random, double low, double[] v) {
        double squared;
        do {
            squared = 0.0;
            for (int j = 0; j < v.length; j++) {
                v[j] = random.nextDouble(low, 1.0);
                squared += v[j] * v[j];
            }
        } while (squared == 0.0);

        // v = v / |v|
        double norm = Math.sqrt(squared);
        for (int j = 0; j < v.length; j++) {
            v[j] /= norm;
        }
    }
}
