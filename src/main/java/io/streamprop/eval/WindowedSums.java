package io.streamprop.eval;

/**
 * Two running sums over one kind of prequential window, and the weight N of the examples behind
 * them, so that each estimate is a sum divided by N. O(1) per example: a sliding window keeps its
 * examples in a ring and subtracts the one that leaves; to stop rounding from piling up in those
 * subtractions, the sums are recomputed from the ring once per window length of evictions.
 */
final class WindowedSums {
    private final WindowKind kind;
    private final int size;
    private final double decay;
    private double weight;
    private double first;
    private double second;
    private final double[] firstRing;
    private final double[] secondRing;
    private int next;
    private int filled;
    private int evictions;

    WindowedSums(WindowKind kind, EvaluationSettings settings) {
        this.kind = kind;
        this.size = kind == WindowKind.SLIDING ? settings.windowSize() : 0;
        this.decay = kind == WindowKind.FADING ? settings.fadingFactor() : 1.0;
        this.firstRing = new double[size];
        this.secondRing = new double[size];
    }

    WindowKind kind() {
        return kind;
    }

    /** The per-example decay of past weight: alpha for a fading window, 1 otherwise. */
    double decay() {
        return decay;
    }

    double weight() {
        return weight;
    }

    double firstMean() {
        return weight == 0.0 ? Double.NaN : first / weight;
    }

    double secondMean() {
        return weight == 0.0 ? Double.NaN : second / weight;
    }

    /** True when the next {@link #add} will push the oldest example out of a sliding window. */
    boolean full() {
        return kind == WindowKind.SLIDING && filled == size;
    }

    /** The ring slot the next {@link #add} writes to: once {@link #full}, the oldest example's. */
    int nextSlot() {
        return next;
    }

    /** Adds one example's two values; returns the ring slot they went to, or -1 if there is no ring. */
    int add(double a, double b) {
        switch (kind) {
            case CUMULATIVE:
                weight += 1.0;
                first += a;
                second += b;
                return -1;
            case FADING:
                // S(i) = e_i + alpha S(i-1);  N(i) = 1 + alpha N(i-1)
                weight = decay * weight + 1.0;
                first = decay * first + a;
                second = decay * second + b;
                return -1;
            case SLIDING:
                return addToRing(a, b);
            default:
                throw new AssertionError(kind);
        }
    }

    private int addToRing(double a, double b) {
        int slot = next;
        if (filled == size) {
            first -= firstRing[slot];
            second -= secondRing[slot];
            evictions++;
        } else {
            filled++;
            weight = filled;
        }
        firstRing[slot] = a;
        secondRing[slot] = b;
        first += a;
        second += b;
        next = slot + 1 == size ? 0 : slot + 1;
        if (evictions >= size) {
            resum();
        }
        return slot;
    }

    private void resum() {
        first = 0.0;
        second = 0.0;
        for (int i = 0; i < filled; i++) {
            first += firstRing[i];
            second += secondRing[i];
        }
        evictions = 0;
    }

    void writeTo(StateWriter out) {
        out.putDouble(weight).putDouble(first).putDouble(second);
        if (kind == WindowKind.SLIDING) {
            out.putInt(next).putInt(evictions).putDoubles(firstRing, filled).putDoubles(secondRing, filled);
        }
    }

    void readFrom(StateReader in) {
        weight = in.getDouble();
        first = in.getDouble();
        second = in.getDouble();
        if (kind == WindowKind.SLIDING) {
            next = in.getInt();
            evictions = in.getInt();
            double[] a = in.getDoubles("sliding window", size);
            double[] b = in.getDoubles("sliding window", size);
            filled = a.length;
            if (b.length != filled || weight != filled || next < 0 || next >= size
                    || (filled < size && next != filled) || evictions < 0 || evictions >= size) {
                throw new CorruptStateException("sliding window state is inconsistent: " + filled
                        + " examples, next slot " + next + ", weight " + weight);
            }
            System.arraycopy(a, 0, firstRing, 0, filled);
            System.arraycopy(b, 0, secondRing, 0, filled);
        }
    }
}
