package io.streamprop.eval;

/**
 * Prequential evaluation of one classifier beside two baselines run on the same stream: the
 * majority class and no-change (the last label). All three are scored by the same estimators, so
 * the model's lift over a baseline is a subtraction. The whole state encodes to bytes, for a state
 * store, and decodes to an evaluation that continues exactly as the original would.
 *
 * <p>Class indexes start at 0. The number of classes is the one given at construction, raised
 * whenever a larger class index appears (a class never seen before).
 */
public final class ClassifierEvaluation {
    private final EvaluationSettings settings;
    private int classes;
    private long examples;
    private final ClassifierMetrics model;
    private final MajorityClassBaseline majority;
    private final ClassifierMetrics majorityMetrics;
    private final NoChangeBaseline noChange;
    private final ClassifierMetrics noChangeMetrics;

    public ClassifierEvaluation(EvaluationSettings settings, int classes) {
        if (classes < 1 || classes > AgreementCounts.MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be in [1, " + AgreementCounts.MAX_CLASSES
                    + "], got " + classes);
        }
        this.settings = settings;
        this.classes = classes;
        model = new ClassifierMetrics(settings, classes);
        majority = new MajorityClassBaseline(classes);
        majorityMetrics = new ClassifierMetrics(settings, classes);
        noChange = new NoChangeBaseline();
        noChangeMetrics = new ClassifierMetrics(settings, classes);
    }

    /**
     * Scores the model's prediction of one labelled example, made before it learned from it; then
     * scores the baselines' predictions of it, and lets them learn its label.
     *
     * @param probabilities the model's class probabilities; its prediction is the most probable
     *                      class (the lowest index among ties)
     */
    public void record(double[] probabilities, int actual) {
        if (actual < 0 || actual >= probabilities.length) {
            throw new IllegalArgumentException("actual class " + actual + " is not among the "
                    + probabilities.length + " probabilities");
        }
        int predicted = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[predicted]) {
                predicted = k;
            }
        }
        record(predicted, probabilities[actual], actual);
    }

    /**
     * As {@link #record(double[], int)} for a binary classifier with one output, the probability
     * of class 1; it predicts class 1 when that probability is at least 0.5.
     */
    public void recordBinary(double probabilityOfOne, int actual) {
        if (actual != 0 && actual != 1) {
            throw new IllegalArgumentException("a binary classifier's class is 0 or 1, got " + actual);
        }
        record(probabilityOfOne >= 0.5 ? 1 : 0, actual == 1 ? probabilityOfOne : 1.0 - probabilityOfOne, actual);
    }

    /** As {@link #record(double[], int)}, from the predicted class and the probability of the true one. */
    public void record(int predicted, double probabilityOfActual, int actual) {
        model.add(predicted, actual, probabilityOfActual);
        classes = Math.max(classes, Math.max(predicted, actual) + 1);
        majorityMetrics.add(majority.predict(), actual, majority.probability(actual, classes));
        noChangeMetrics.add(noChange.predict(), actual, noChange.probability(actual, classes));
        majority.learn(actual);
        noChange.learn(actual);
        examples++;
    }

    public EvaluationSettings settings() {
        return settings;
    }

    public int classes() {
        return classes;
    }

    /** The number of examples recorded. */
    public long examples() {
        return examples;
    }

    public ClassifierMetrics model() {
        return model;
    }

    public ClassifierMetrics majorityClass() {
        return majorityMetrics;
    }

    public ClassifierMetrics noChange() {
        return noChangeMetrics;
    }

    /** The whole state: settings, counters, the three predictors' metrics and the baselines. */
    public byte[] toBytes() {
        StateWriter out = StateFormat.begin(StateFormat.CLASSIFIER_EVALUATION);
        out.putInt(settings.windowSize()).putDouble(settings.fadingFactor()).putInt(classes).putLong(examples);
        model.writeTo(out);
        majorityMetrics.writeTo(out);
        noChangeMetrics.writeTo(out);
        majority.writeTo(out);
        noChange.writeTo(out);
        return StateFormat.finish(out);
    }

    /**
     * Decodes bytes made by {@link #toBytes}.
     *
     * @throws CorruptStateException when the bytes are truncated, corrupted or of another kind
     */
    public static ClassifierEvaluation fromBytes(byte[] bytes) {
        return StateFormat.decode(bytes, StateFormat.CLASSIFIER_EVALUATION, in -> {
            EvaluationSettings settings = new EvaluationSettings(in.getInt(), in.getDouble());
            ClassifierEvaluation evaluation = new ClassifierEvaluation(settings, in.getInt());
            evaluation.examples = in.getLong();
            evaluation.model.readFrom(in);
            evaluation.majorityMetrics.readFrom(in);
            evaluation.noChangeMetrics.readFrom(in);
            evaluation.majority.readFrom(in);
            evaluation.noChange.readFrom(in);
            return evaluation;
        });
    }
}
