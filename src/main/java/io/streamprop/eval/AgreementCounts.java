package io.streamprop.eval;

import java.util.Arrays;

/**
 * The marginals of a confusion matrix, for the chance agreement of Cohen's kappa:
 * p_c = sum_k (n_k. / n) (n_.k / n), with n_k. the (weighted) count of examples whose true class
 * is k and n_.k the count of those predicted as k. The sum of products is kept up to date at each
 * change, so adding or removing an example costs O(1) whatever the number of classes.
 *
 * <p>For a fading window every count decays by alpha per example. Rather than multiply all of
 * them, the stored counts share one scale factor (true count = stored count x scale): fading
 * multiplies the scale, and a new example adds 1 / scale. When the scale gets small the counts
 * are multiplied out and the sum of products recomputed, which costs O(classes) once every
 * ln(1e100) / -ln(alpha) examples.
 */
final class AgreementCounts {
    /** The largest number of classes a decoded state may claim. */
    static final int MAX_CLASSES = 1 << 20;
    private static final double RESCALE_BELOW = 1e-100;

    private double[] actual;
    private double[] predicted;
    private double products;
    private double scale = 1.0;

    AgreementCounts(int classes) {
        actual = new double[Math.max(classes, 1)];
        predicted = new double[actual.length];
    }

    /** The number of classes the counts have room for (at least every class seen). */
    int classes() {
        return actual.length;
    }

    /** Multiplies every count by {@code alpha}. */
    void fade(double alpha) {
        if (alpha == 1.0) {
            return;
        }
        scale *= alpha;
        if (scale < RESCALE_BELOW) {
            rescale();
        }
    }

    /** Adds {@code weight} (negative to remove) to the true class's row and the predicted class's column. */
    void add(int predictedClass, int actualClass, double weight) {
        ensureClasses(Math.max(predictedClass, actualClass) + 1);
        double w = weight / scale;
        // raising n_a. by w raises sum_k n_k. n_.k by w n_.a; then raising n_.p by w raises it by w n_p.
        actual[actualClass] += w;
        products += w * predicted[actualClass];
        predicted[predictedClass] += w;
        products += w * actual[predictedClass];
    }

    /** p_c for examples of total weight {@code n}. */
    double chanceAgreement(double n) {
        return products * scale * scale / (n * n);
    }

    private void rescale() {
        products = 0.0;
        for (int k = 0; k < actual.length; k++) {
            actual[k] *= scale;
            predicted[k] *= scale;
            products += actual[k] * predicted[k];
        }
        scale = 1.0;
    }

    private void ensureClasses(int classes) {
        if (classes > actual.length) {
            int grown = Math.max(classes, 2 * actual.length);
            actual = Arrays.copyOf(actual, grown);
            predicted = Arrays.copyOf(predicted, grown);
        }
    }

    void writeTo(StateWriter out) {
        out.putDouble(scale).putDouble(products).putDoubles(actual, actual.length)
                .putDoubles(predicted, predicted.length);
    }

    void readFrom(StateReader in) {
        scale = in.getDouble();
        products = in.getDouble();
        actual = in.getDoubles("class", MAX_CLASSES);
        predicted = in.getDoubles("class", MAX_CLASSES);
        if (actual.length == 0 || predicted.length != actual.length || !(scale > 0.0)) {
            throw new CorruptStateException("class counts are inconsistent: " + actual.length + " and "
                    + predicted.length + " classes, scale " + scale);
        }
    }
}
