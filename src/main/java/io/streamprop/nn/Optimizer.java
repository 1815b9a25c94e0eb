package io.streamprop.nn;

/**
 * Applies one update rule to parameter arrays and their moment buffers, in two passes so that an
 * update is applied whole or not at all: {@link #staysFinite} computes every new value and only
 * checks it, then {@link #apply} computes the same values again and writes them. A caller
 * probes all parameters of the model before applying any. Each model has its own optimizer,
 * which holds the constants of the current update and the probe's work space, so that neither
 * pass allocates.
 *
 * <p>Both loops are written for the JIT's vectoriser: the probe writes its values to a small
 * scratch block and checks the block afterwards, instead of folding a flag through the loop,
 * and the apply loop has no checks at all. Both compute each value by the same expression, so
 * what is applied is exactly what was checked. In the probes, {@code x * 0.0} is 0 for a finite
 * x and NaN otherwise, which carries a non-finite moment into the checked value.
 */
final class Optimizer {
    /** Length of the probe's scratch block. */
    static final int PROBE_BLOCK = 512;

    private final OptimizerSpec spec;
    private final double[] scratch = new double[PROBE_BLOCK];
    private double lr;
    private double stepSize;
    private double invSqrtC2;

    Optimizer(OptimizerSpec spec) {
        this.spec = spec;
    }

    /**
     * Sets the constants of the next update.
     *
     * @param step the 1-based number of this update since the moments started from zero, for
     *             Adam's bias correction
     * @param learningRateFactor multiplies the spec's learning rate for this update
     */
    void prepare(long step, double learningRateFactor) {
        lr = spec.learningRate() * learningRateFactor;
        if (spec.type() == OptimizerType.ADAM) {
            // bias corrections c1 = 1 - b1^t and c2 = 1 - b2^t
            double c1 = 1.0 - Math.pow(spec.beta1(), step);
            double c2 = 1.0 - Math.pow(spec.beta2(), step);
            stepSize = lr / c1;
            invSqrtC2 = 1.0 / Math.sqrt(c2);
        }
    }

    /**
     * Whether the prepared update of {@code w} from gradient {@code g} would leave every new
     * weight and moment finite; changes nothing.
     *
     * @param m1 first moment or velocity; unused by SGD
     * @param m2 second moment; Adam only
     */
    boolean staysFinite(double[] w, double[] g, double[] m1, double[] m2) {
        for (int start = 0; start < w.length; start += PROBE_BLOCK) {
            int end = Math.min(w.length, start + PROBE_BLOCK);
            switch (spec.type()) {
                case SGD -> probeSgd(w, g, start, end);
                case MOMENTUM -> probeMomentum(w, g, m1, start, end);
                case ADAM -> probeAdam(w, g, m1, m2, start, end);
                default -> throw new AssertionError(spec.type());
            }
            for (int i = 0, n = end - start; i < n; i++) {
                if (!Double.isFinite(scratch[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Applies the prepared update to {@code w} and the moments; see {@link #staysFinite}. */
    void apply(double[] w, double[] g, double[] m1, double[] m2) {
        switch (spec.type()) {
            case SGD -> applySgd(w, g);
            case MOMENTUM -> applyMomentum(w, g, m1);
            case ADAM -> applyAdam(w, g, m1, m2);
            default -> throw new AssertionError(spec.type());
        }
    }

    /** Prepares, probes and, if every value stays finite, applies; returns whether it applied. */
    boolean update(long step, double[] w, double[] g, double[] m1, double[] m2) {
        prepare(step, 1.0);
        if (!staysFinite(w, g, m1, m2)) {
            return false;
        }
        apply(w, g, m1, m2);
        return true;
    }

    // w = w - lr g
    private void probeSgd(double[] w, double[] g, int start, int end) {
        double[] out = scratch;
        for (int i = start; i < end; i++) {
            out[i - start] = w[i] - lr * g[i];
        }
    }

    private void applySgd(double[] w, double[] g) {
        for (int i = 0; i < w.length; i++) {
            w[i] = w[i] - lr * g[i];
        }
    }

    // v = mu v + g;  w = w - lr v
    private void probeMomentum(double[] w, double[] g, double[] m1, int start, int end) {
        double[] out = scratch;
        double mu = spec.momentum();
        for (int i = start; i < end; i++) {
            double v = mu * m1[i] + g[i];
            out[i - start] = (w[i] - lr * v) + v * 0.0;
        }
    }

    private void applyMomentum(double[] w, double[] g, double[] m1) {
        double mu = spec.momentum();
        for (int i = 0; i < w.length; i++) {
            double v = mu * m1[i] + g[i];
            m1[i] = v;
            w[i] = w[i] - lr * v;
        }
    }

    // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  w = w - lr (m / c1) / (sqrt(v / c2) + eps)
    private void probeAdam(double[] w, double[] g, double[] m1, double[] m2, int start, int end) {
        double[] out = scratch;
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double eps = spec.epsilon();
        for (int i = start; i < end; i++) {
            double gi = g[i];
            double m = b1 * m1[i] + (1.0 - b1) * gi;
            double v = b2 * m2[i] + (1.0 - b2) * gi * gi;
            out[i - start] = (w[i] - stepSize * m / (Math.sqrt(v) * invSqrtC2 + eps)) + m * 0.0 + v * 0.0;
        }
    }

    private void applyAdam(double[] w, double[] g, double[] m1, double[] m2) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double eps = spec.epsilon();
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            double m = b1 * m1[i] + (1.0 - b1) * gi;
            double v = b2 * m2[i] + (1.0 - b2) * gi * gi;
            m1[i] = m;
            m2[i] = v;
            w[i] = w[i] - stepSize * m / (Math.sqrt(v) * invSqrtC2 + eps);
        }
    }
}
