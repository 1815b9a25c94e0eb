package io.streamprop.nn;

import java.util.Arrays;

/**
 * Running mean and variance of each input feature by Welford's method, used to standardise
 * inputs as (x - mean) / std. Only training examples update it. A feature whose spread is still
 * zero (fewer than two examples, or a constant) is centred but not scaled.
 */
final class FeatureScaler {
    private static final double MIN_STD = 1e-12;

    private final int width;
    private long count;
    private final double[] mean;
    private final double[] m2;
    private final double[] invStd;
    private long savedCount;
    private final double[] savedMean;
    private final double[] savedM2;

    FeatureScaler(int width) {
        this.width = width;
        mean = new double[width];
        m2 = new double[width];
        invStd = new double[width];
        Arrays.fill(invStd, 1.0);
        savedMean = new double[width];
        savedM2 = new double[width];
    }

    int width() {
        return width;
    }

    long count() {
        return count;
    }

    double[] mean() {
        return mean;
    }

    double[] m2() {
        return m2;
    }

    /** Replaces the statistics, as when a model is decoded. */
    void restoreFrom(long count, double[] mean, double[] m2) {
        this.count = count;
        System.arraycopy(mean, 0, this.mean, 0, width);
        System.arraycopy(m2, 0, this.m2, 0, width);
        refreshScale();
    }

    /** Folds one example, {@code width} values from {@code offset}, into the statistics. */
    void update(double[] x, int offset) {
        count++;
        for (int j = 0; j < width; j++) {
            // mean_n = mean_{n-1} + (x - mean_{n-1}) / n;  M2_n = M2_{n-1} + (x - mean_{n-1}) (x - mean_n)
            double d = x[offset + j] - mean[j];
            mean[j] += d / count;
            m2[j] += d * (x[offset + j] - mean[j]);
        }
    }

    /** Recomputes the cached inverse standard deviations after updates. */
    void refreshScale() {
        for (int j = 0; j < width; j++) {
            double std = count > 1 ? Math.sqrt(m2[j] / count) : 0.0;
            invStd[j] = std > MIN_STD ? 1.0 / std : 1.0;
        }
    }

    /** Writes the standardised form of {@code width} values from {@code src} into {@code dst}. */
    void transform(double[] src, int srcOffset, double[] dst, int dstOffset) {
        for (int j = 0; j < width; j++) {
            dst[dstOffset + j] = (src[srcOffset + j] - mean[j]) * invStd[j];
        }
    }

    boolean isFinite() {
        for (int j = 0; j < width; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(m2[j])) {
                return false;
            }
        }
        return true;
    }

    /** Remembers the current statistics so that {@link #rollback()} can return to them. */
    void save() {
        savedCount = count;
        System.arraycopy(mean, 0, savedMean, 0, width);
        System.arraycopy(m2, 0, savedM2, 0, width);
    }

    void rollback() {
        restoreFrom(savedCount, savedMean, savedM2);
    }
}
