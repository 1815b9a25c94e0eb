/**
 * Prequential evaluation of online learners, independent of Kafka. Each labelled example is
 * scored with the prediction made before the learner learned from it (test, then train).
 *
 * <ul>
 *   <li>{@link io.streamprop.eval.ClassifierEvaluation} and
 *       {@link io.streamprop.eval.RegressionEvaluation}: a model's scores beside its baselines'
 *       (majority class and no-change; running mean), each over cumulative, sliding-window and
 *       fading-factor estimates ({@link io.streamprop.eval.WindowKind});</li>
 *   <li>{@link io.streamprop.eval.PageHinkley}: drift detection on a stream of losses.</li>
 * </ul>
 *
 * Every update is O(1) (amortised for the rare renormalisations) and every stateful object
 * encodes to bytes and decodes to one that continues exactly as the original would, so that the
 * state can live in a state store.
 */
package io.streamprop.eval;
