package io.streamprop.eval;

/**
 * A classifier's prequential accuracy, Cohen's kappa and log loss over one {@link WindowKind}.
 *
 * <p>Kappa is the streaming kappa of Bifet and Frank ("Sentiment knowledge discovery in Twitter
 * streaming data", 2010) and Bifet et al. ("Efficient online evaluation of big data stream
 * classifiers", KDD 2015): kappa = (p0 - pc) / (1 - pc), where p0 is the accuracy over the
 * window and pc = sum_k (n_k. / n)(n_.k / n) the agreement expected by chance from the window's
 * own marginals (n_k. examples of true class k, n_.k predicted as k). For a fading window every
 * count is the faded count, so p0 is the faded accuracy. Kappa is 0 for a predictor no better
 * than chance and 1 for a perfect one.
 *
 * <p>The log loss of an example is -ln p, with p the probability the predictor gave the true
 * class, floored at {@link #MIN_PROBABILITY}.
 */
public final class ClassifierWindow implements WindowSet.Stored {
    /** The floor on the probability of the true class, so a confident mistake costs at most about 34.5. */
    public static final double MIN_PROBABILITY = 1e-15;

    private final WindowedSums sums;
    private final AgreementCounts counts;
    private final int[] predictedRing;
    private final int[] actualRing;

    ClassifierWindow(WindowKind kind, EvaluationSettings settings, int classes) {
        sums = new WindowedSums(kind, settings);
        counts = new AgreementCounts(classes);
        int ring = kind == WindowKind.SLIDING ? settings.windowSize() : 0;
        predictedRing = new int[ring];
        actualRing = new int[ring];
    }

    public WindowKind kind() {
        return sums.kind();
    }

    /** The weight of the examples behind the estimates: their count, or their faded count. */
    public double examples() {
        return sums.weight();
    }

    /** The share of examples whose predicted class was the true one; NaN before any example. */
    public double accuracy() {
        return sums.firstMean();
    }

    /** The mean log loss; NaN before any example. */
    public double logLoss() {
        return sums.secondMean();
    }

    /**
     * Cohen's kappa; NaN before any example, and when chance agreement is 1 (every true and
     * predicted class in the window is one and the same class), where kappa is undefined.
     */
    public double kappa() {
        double n = sums.weight();
        if (n == 0.0) {
            return Double.NaN;
        }
        double pc = counts.chanceAgreement(n);
        return pc >= 1.0 ? Double.NaN : (accuracy() - pc) / (1.0 - pc);
    }

    public ClassifierScores scores() {
        return new ClassifierScores(examples(), accuracy(), kappa(), logLoss());
    }

    void add(int predicted, int actual, double probabilityOfActual) {
        if (sums.full()) {
            int oldest = sums.nextSlot();
            counts.add(predictedRing[oldest], actualRing[oldest], -1.0);
        }
        int slot = sums.add(predicted == actual ? 1.0 : 0.0, logLoss(probabilityOfActual));
        if (slot >= 0) {
            predictedRing[slot] = predicted;
            actualRing[slot] = actual;
        }
        counts.fade(sums.decay());
        counts.add(predicted, actual, 1.0);
    }

    /** -ln p, with p clamped to [MIN_PROBABILITY, 1]. */
    static double logLoss(double probability) {
        return -Math.log(Math.min(1.0, Math.max(probability, MIN_PROBABILITY)));
    }

    @Override
    public void writeTo(StateWriter out) {
        sums.writeTo(out);
        counts.writeTo(out);
        if (kind() == WindowKind.SLIDING) {
            int filled = (int) sums.weight();
            out.putInts(predictedRing, filled).putInts(actualRing, filled);
        }
    }

    @Override
    public void readFrom(StateReader in) {
        sums.readFrom(in);
        counts.readFrom(in);
        if (kind() == WindowKind.SLIDING) {
            int[] predicted = in.getInts("sliding window", predictedRing.length);
            int[] actual = in.getInts("sliding window", actualRing.length);
            if (predicted.length != (int) sums.weight() || actual.length != predicted.length) {
                throw new CorruptStateException("sliding window holds " + (int) sums.weight()
                        + " examples but " + predicted.length + " predicted and " + actual.length + " true classes");
            }
            for (int i = 0; i < predicted.length; i++) {
                int classes = counts.classes();
                if (predicted[i] < 0 || actual[i] < 0 || predicted[i] >= classes || actual[i] >= classes) {
                    throw new CorruptStateException("sliding window holds an impossible class: predicted "
                            + predicted[i] + ", actual " + actual[i] + " of " + counts.classes());
                }
            }
            System.arraycopy(predicted, 0, predictedRing, 0, predicted.length);
            System.arraycopy(actual, 0, actualRing, 0, actual.length);
        }
    }
}
