package io.streamprop.eval;

/**
 * Predicts the last label seen (class 0 before any). It is strong on streams whose labels come in
 * runs, where it shows whether a model learned more than the runs. Its probabilities, for the log
 * loss: the last label gets r, the Laplace-smoothed share of labels so far that repeated the one
 * before them, r = (repeats + 1) / (transitions + 2); the other K - 1 classes share 1 - r equally.
 * Before any label every class gets 1 / K.
 */
public final class NoChangeBaseline {
    private int last = -1;
    private long transitions;
    private long repeats;

    public int predict() {
        return Math.max(last, 0);
    }

    /** The probability of class {@code c} among {@code classes} classes. */
    public double probability(int c, int classes) {
        if (last < 0 || classes == 1) {
            return 1.0 / classes;
        }
        // r = (repeats + 1) / (transitions + 2)
        double r = (repeats + 1.0) / (transitions + 2.0);
        return c == last ? r : (1.0 - r) / (classes - 1);
    }

    public void learn(int actual) {
        if (last >= 0) {
            transitions++;
            if (actual == last) {
                repeats++;
            }
        }
        last = actual;
    }

    void writeTo(StateWriter out) {
        out.putInt(last).putLong(transitions).putLong(repeats);
    }

    void readFrom(StateReader in) {
        last = in.getInt();
        transitions = in.getLong();
        repeats = in.getLong();
        if (last < -1 || repeats < 0 || repeats > transitions) {
            throw new CorruptStateException("no-change state is impossible: last " + last + ", "
                    + repeats + " repeats in " + transitions + " transitions");
        }
    }
}
