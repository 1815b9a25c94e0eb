package io.streamprop.eval;

/**
 * Prequential evaluation of one regression model beside the running-mean baseline run on the same
 * stream, both scored by the same estimators, so the model's lift is a subtraction. The whole state
 * encodes to bytes, for a state store, and decodes to an evaluation that continues exactly as the
 * original would.
 */
public final class RegressionEvaluation {
    private final EvaluationSettings settings;
    private long examples;
    private final RegressionMetrics model;
    private final RunningMeanBaseline mean;
    private final RegressionMetrics meanMetrics;
    private final double[] baselinePrediction;

    public RegressionEvaluation(EvaluationSettings settings, int outputs) {
        this.settings = settings;
        model = new RegressionMetrics(settings);
        mean = new RunningMeanBaseline(outputs);
        meanMetrics = new RegressionMetrics(settings);
        baselinePrediction = new double[outputs];
    }

    /**
     * Scores the model's prediction of one labelled example, made before it learned from it; then
     * scores the running mean's prediction of it, and folds the target into the mean.
     */
    public void record(double[] predicted, double[] actual) {
        if (actual.length != baselinePrediction.length) {
            throw new IllegalArgumentException("actual has " + actual.length + " values, the evaluation expects "
                    + baselinePrediction.length);
        }
        model.add(predicted, actual);
        mean.predict(baselinePrediction);
        meanMetrics.add(baselinePrediction, actual);
        mean.learn(actual);
        examples++;
    }

    public EvaluationSettings settings() {
        return settings;
    }

    public int outputs() {
        return baselinePrediction.length;
    }

    /** The number of examples recorded. */
    public long examples() {
        return examples;
    }

    public RegressionMetrics model() {
        return model;
    }

    public RegressionMetrics runningMean() {
        return meanMetrics;
    }

    /** The whole state: settings, counters, both predictors' metrics and the running mean. */
    public byte[] toBytes() {
        StateWriter out = StateFormat.begin(StateFormat.REGRESSION_EVALUATION);
        out.putInt(settings.windowSize()).putDouble(settings.fadingFactor()).putInt(outputs()).putLong(examples);
        model.writeTo(out);
        meanMetrics.writeTo(out);
        mean.writeTo(out);
        return StateFormat.finish(out);
    }

    /**
     * Decodes bytes made by {@link #toBytes}.
     *
     * @throws CorruptStateException when the bytes are truncated, corrupted or of another kind
     */
    public static RegressionEvaluation fromBytes(byte[] bytes) {
        return StateFormat.decode(bytes, StateFormat.REGRESSION_EVALUATION, in -> {
            EvaluationSettings settings = new EvaluationSettings(in.getInt(), in.getDouble());
            int outputs = in.getInt();
            if (outputs < 1 || outputs > in.remaining() / Double.BYTES) {
                throw new CorruptStateException("regression state claims " + outputs + " outputs");
            }
            RegressionEvaluation evaluation = new RegressionEvaluation(settings, outputs);
            evaluation.examples = in.getLong();
            evaluation.model.readFrom(in);
            evaluation.meanMetrics.readFrom(in);
            evaluation.mean.readFrom(in);
            return evaluation;
        });
    }
}
