package io.streamprop.eval;

/**
 * One window's classifier estimates at one moment (see {@link ClassifierWindow}); NaN where
 * undefined.
 *
 * @param examples the weight of the examples behind them: a count, or a faded count
 */
public record ClassifierScores(double examples, double accuracy, double kappa, double logLoss) {
}
