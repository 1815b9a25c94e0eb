package io.streamprop.eval;

/**
 * A regression model's prequential mean absolute error and root mean squared error over one
 * {@link WindowKind}: MAE = P(|e|) and RMSE = sqrt(P(e^2)), where P is the window's prequential
 * mean. For a model with several outputs, |e| and e^2 of an example are the means over its
 * outputs.
 */
public final class RegressionWindow implements WindowSet.Stored {
    private final WindowedSums sums;

    RegressionWindow(WindowKind kind, EvaluationSettings settings) {
        sums = new WindowedSums(kind, settings);
    }

    public WindowKind kind() {
        return sums.kind();
    }

    /** The weight of the examples behind the estimates: their count, or their faded count. */
    public double examples() {
        return sums.weight();
    }

    /** The mean absolute error; NaN before any example. */
    public double mae() {
        return sums.firstMean();
    }

    /** The root mean squared error; NaN before any example. */
    public double rmse() {
        return Math.sqrt(sums.secondMean());
    }

    public RegressionScores scores() {
        return new RegressionScores(examples(), mae(), rmse());
    }

    void add(double absoluteError, double squaredError) {
        sums.add(absoluteError, squaredError);
    }

    @Override
    public void writeTo(StateWriter out) {
        sums.writeTo(out);
    }

    @Override
    public void readFrom(StateReader in) {
        sums.readFrom(in);
    }
}
