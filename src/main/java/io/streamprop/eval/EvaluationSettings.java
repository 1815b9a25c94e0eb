package io.streamprop.eval;

/**
 * The two forgetting parameters of prequential evaluation.
 *
 * @param windowSize   w, the number of most recent examples in a {@link WindowKind#SLIDING} estimate
 * @param fadingFactor alpha in (0, 1), the weight decay per example of a {@link WindowKind#FADING}
 *                     estimate; 1 / (1 - alpha) examples is its effective memory
 */
public record EvaluationSettings(int windowSize, double fadingFactor) {
    /** A window of 1000 examples and a fading factor of 0.999 (a memory of about 1000 examples). */
    public static final EvaluationSettings DEFAULTS = new EvaluationSettings(1000, 0.999);

    /** The largest sliding window: its ring buffers hold this many examples per estimate. */
    public static final int MAX_WINDOW_SIZE = 1 << 20;

    public EvaluationSettings {
        if (windowSize < 1 || windowSize > MAX_WINDOW_SIZE) {
            throw new IllegalArgumentException("windowSize must be in [1, " + MAX_WINDOW_SIZE + "], got "
                    + windowSize);
        }
        if (!(fadingFactor > 0.0 && fadingFactor < 1.0)) {
            throw new IllegalArgumentException("fadingFactor must be in (0, 1), got " + fadingFactor);
        }
    }
}
