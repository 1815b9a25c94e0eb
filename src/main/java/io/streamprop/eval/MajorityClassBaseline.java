package io.streamprop.eval;

import java.util.Arrays;

/**
 * Predicts the class seen most often so far (the lowest index among ties; class 0 before any
 * label). Its probabilities, for the log loss, are the Laplace-smoothed class frequencies
 * (n_c + 1) / (n + K), whose most probable class is the one it predicts. O(1) per example.
 */
public final class MajorityClassBaseline {
    private long[] counts;
    private long seen;
    private int majority;

    public MajorityClassBaseline(int classes) {
        counts = new long[Math.max(classes, 1)];
    }

    public int predict() {
        return majority;
    }

    /** The probability of class {@code c} among {@code classes} classes. */
    public double probability(int c, int classes) {
        long count = c < counts.length ? counts[c] : 0L;
        return (count + 1.0) / (seen + (double) classes);
    }

    public void learn(int actual) {
        if (actual >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(actual + 1, 2 * counts.length));
        }
        counts[actual]++;
        seen++;
        if (counts[actual] > counts[majority] || (counts[actual] == counts[majority] && actual < majority)) {
            majority = actual;
        }
    }

    void writeTo(StateWriter out) {
        out.putLong(seen).putInt(majority).putInt(counts.length);
        for (long count : counts) {
            out.putLong(count);
        }
    }

    void readFrom(StateReader in) {
        seen = in.getLong();
        majority = in.getInt();
        int classes = in.getInt();
        if (classes < 1 || classes > AgreementCounts.MAX_CLASSES || classes > in.remaining() / Long.BYTES
                || majority < 0 || majority >= classes || seen < 0) {
            throw new CorruptStateException("majority-class state is impossible: " + classes
                    + " classes, majority " + majority + ", " + seen + " labels seen");
        }
        counts = new long[classes];
        for (int c = 0; c < classes; c++) {
            counts[c] = in.getLong();
        }
    }
}
