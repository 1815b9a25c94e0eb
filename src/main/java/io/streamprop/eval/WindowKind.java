package io.streamprop.eval;

/**
 * How a prequential estimate weighs the examples behind it (Gama, Sebastião and Rodrigues, "On
 * evaluating stream learning algorithms", Machine Learning 90, 2013). With e_k the loss of the
 * k-th example, predicted before it was learned from, the estimate after i examples is:
 */
public enum WindowKind {
    /** P(i) = (1/i) sum_{k=1..i} e_k: every example since the start, equally. */
    CUMULATIVE,
    /** P_w(i) = (1/w) sum_{k=i-w+1..i} e_k: the last w examples (all of them while i < w). */
    SLIDING,
    /**
     * P_alpha(i) = S(i) / N(i), with S(i) = e_i + alpha S(i-1) and N(i) = 1 + alpha N(i-1): an
     * example k steps old weighs alpha^k.
     */
    FADING
}
