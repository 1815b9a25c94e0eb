package io.streamprop.eval;

/**
 * One window's regression estimates at one moment (see {@link RegressionWindow}); NaN before any
 * example.
 *
 * @param examples the weight of the examples behind them: a count, or a faded count
 */
public record RegressionScores(double examples, double mae, double rmse) {
}
