package io.streamprop.eval;

/**
 * The parameters of a {@link PageHinkley} test, in the units of the monitored values.
 *
 * @param delta        the magnitude of change tolerated: deviations from the mean smaller than this
 *                     do not accumulate
 * @param lambda       the alarm threshold on PH = m_T - M_T; larger means fewer false alarms and
 *                     later detections
 * @param minInstances no alarm before this many values since the start or the last alarm
 * @param alpha        the fading factor of the cumulative sum, in (0, 1]; 1 is the original test
 */
public record PageHinkleySettings(double delta, double lambda, int minInstances, double alpha) {
    /** delta 0.005, lambda 50, 30 instances, alpha 1 - 1e-4: the values Gama et al. and MOA use by default. */
    public static final PageHinkleySettings DEFAULTS = new PageHinkleySettings(0.005, 50.0, 30, 1.0 - 1e-4);

    public PageHinkleySettings {
        if (!(delta >= 0.0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be a finite number >= 0, got " + delta);
        }
        if (!(lambda > 0.0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number > 0, got " + lambda);
        }
        if (minInstances < 1) {
            throw new IllegalArgumentException("minInstances must be >= 1, got " + minInstances);
        }
        if (!(alpha > 0.0 && alpha <= 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
    }
}
