package io.streamprop.stats;

import java.nio.ByteBuffer;

/**
 * A model's prequential learning curve: the mean loss and accuracy of its test-then-train
 * predictions, one point per window of examples, against the examples seen. The curve stays
 * small however long the stream: when it reaches {@link #MAX_POINTS} points, neighbouring points
 * are merged in pairs and the window doubles, so every point covers the same number of examples.
 *
 * <p>Not thread-safe: the learner's stream thread builds it; readers get a decoded copy.
 */
public final class LearningCurve {
    /** Examples in a point of a new curve. */
    public static final long FIRST_WINDOW = 100;
    /** Most points kept; reaching it halves the points and doubles the window. */
    public static final int MAX_POINTS = 500;

    private static final byte FORMAT = 1;
    private static final int HEADER_BYTES = 1 + Long.BYTES + Integer.BYTES;
    private static final int POINT_BYTES = 3 * Long.BYTES + 2 * Double.BYTES;

    private long window;
    private int size;
    private final long[] examples = new long[MAX_POINTS];
    private final long[] count = new long[MAX_POINTS];
    private final double[] loss = new double[MAX_POINTS];
    private final double[] accuracy = new double[MAX_POINTS];
    private final long[] time = new long[MAX_POINTS];

    private LearningCurve(long window) {
        this.window = window;
    }

    public static LearningCurve empty() {
        return new LearningCurve(FIRST_WINDOW);
    }

    /** Examples that one point covers now. */
    public long window() {
        return window;
    }

    public int size() {
        return size;
    }

    /** Examples seen by the model when point {@code i} was closed. */
    public long examples(int i) {
        return examples[check(i)];
    }

    /** Predictions that point {@code i} averages. */
    public long count(int i) {
        return count[check(i)];
    }

    /** Mean loss of the predictions of point {@code i}. */
    public double loss(int i) {
        return loss[check(i)];
    }

    /** Share of right classes in point {@code i}; NaN for models that are not classifiers. */
    public double accuracy(int i) {
        return accuracy[check(i)];
    }

    /** Wall-clock time (epoch milliseconds) when point {@code i} was closed. */
    public long time(int i) {
        return time[check(i)];
    }

    /** Appends a point, merging the points in pairs first when the curve is full. */
    public void add(long examplesSeen, long predictions, double meanLoss, double meanAccuracy, long timeMs) {
        if (size == MAX_POINTS) {
            halve();
        }
        examples[size] = examplesSeen;
        count[size] = predictions;
        loss[size] = meanLoss;
        accuracy[size] = meanAccuracy;
        time[size] = timeMs;
        size++;
    }

    private void halve() {
        int kept = 0;
        for (int i = 0; i + 1 < size; i += 2) {
            long n = count[i] + count[i + 1];
            // each mean weighted by its predictions
            loss[kept] = (loss[i] * count[i] + loss[i + 1] * count[i + 1]) / n;
            accuracy[kept] = (accuracy[i] * count[i] + accuracy[i + 1] * count[i + 1]) / n;
            count[kept] = n;
            examples[kept] = examples[i + 1];
            time[kept] = time[i + 1];
            kept++;
        }
        size = kept;
        window *= 2;
    }

    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + size * POINT_BYTES);
        buf.put(FORMAT).putLong(window).putInt(size);
        for (int i = 0; i < size; i++) {
            buf.putLong(examples[i]).putLong(count[i]).putDouble(loss[i]).putDouble(accuracy[i]).putLong(time[i]);
        }
        return buf.array();
    }

    /** Reads what {@link #encode()} wrote. */
    public static LearningCurve decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("learning curve in format " + format + ", expected " + FORMAT);
        }
        LearningCurve curve = new LearningCurve(buf.getLong());
        int n = buf.getInt();
        if (n < 0 || n > MAX_POINTS || bytes.length != HEADER_BYTES + n * POINT_BYTES) {
            throw new IllegalArgumentException("learning curve of " + n + " points in " + bytes.length + " bytes");
        }
        for (int i = 0; i < n; i++) {
            curve.add(buf.getLong(), buf.getLong(), buf.getDouble(), buf.getDouble(), buf.getLong());
        }
        return curve;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("point " + i + " of a curve of " + size);
        }
        return i;
    }
}
