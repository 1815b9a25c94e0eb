package io.streamprop.nn;

/**
 * Applies one update rule to a parameter array and its moment buffers. The same loop serves a
 * dry run, which only checks that every new value would be finite, and the real update; a
 * caller runs the dry run over all parameters first, so an update is applied whole or not at
 * all.
 */
final class Optimizer {
    private Optimizer() {
    }

    /** As the update below, at the spec's learning rate. */
    static boolean update(OptimizerSpec o, long step, double[] w, double[] g, double[] m1,
                          double[] m2, boolean commit) {
        return update(o, step, 1.0, w, g, m1, m2, commit);
    }

    /**
     * Updates (or, when {@code commit} is false, only checks) {@code w} from gradient {@code g}.
     *
     * @param step the 1-based number of this update since the moments started from zero, for
     *             Adam's bias correction
     * @param learningRateFactor multiplies the spec's learning rate for this update
     * @param m1 first moment or velocity; unused by SGD
     * @param m2 second moment; Adam only
     * @return whether every new weight and moment is finite
     */
    static boolean update(OptimizerSpec o, long step, double learningRateFactor, double[] w, double[] g,
                          double[] m1, double[] m2, boolean commit) {
        int n = w.length;
        double lr = o.learningRate() * learningRateFactor;
        boolean finite = true;
        switch (o.type()) {
            case SGD:
                for (int i = 0; i < n; i++) {
                    // w = w - lr g
                    double nw = w[i] - lr * g[i];
                    finite &= Double.isFinite(nw);
                    if (commit) {
                        w[i] = nw;
                    }
                }
                return finite;
            case MOMENTUM:
                double mu = o.momentum();
                for (int i = 0; i < n; i++) {
                    // v = mu v + g;  w = w - lr v
                    double v = mu * m1[i] + g[i];
                    double nw = w[i] - lr * v;
                    finite &= Double.isFinite(v) & Double.isFinite(nw);
                    if (commit) {
                        m1[i] = v;
                        w[i] = nw;
                    }
                }
                return finite;
            case ADAM:
                double b1 = o.beta1();
                double b2 = o.beta2();
                double eps = o.epsilon();
                // bias corrections c1 = 1 - b1^t and c2 = 1 - b2^t
                double c1 = 1.0 - Math.pow(b1, step);
                double c2 = 1.0 - Math.pow(b2, step);
                double stepSize = lr / c1;
                double invSqrtC2 = 1.0 / Math.sqrt(c2);
                for (int i = 0; i < n; i++) {
                    // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
                    double gi = g[i];
                    double m = b1 * m1[i] + (1.0 - b1) * gi;
                    double v = b2 * m2[i] + (1.0 - b2) * gi * gi;
                    // w = w - lr (m / c1) / (sqrt(v / c2) + eps)
                    double nw = w[i] - stepSize * m / (Math.sqrt(v) * invSqrtC2 + eps);
                    finite &= Double.isFinite(m) & Double.isFinite(v) & Double.isFinite(nw);
                    if (commit) {
                        m1[i] = m;
                        m2[i] = v;
                        w[i] = nw;
                    }
                }
                return finite;
            default:
                throw new AssertionError(o.type());
        }
    }
}
