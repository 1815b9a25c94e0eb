package io.streamprop.eval;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/** Reads what {@link StateWriter} wrote; any shortfall or impossible value is a {@link CorruptStateException}. */
final class StateReader {
    private final ByteBuffer buf;

    StateReader(ByteBuffer buf) {
        this.buf = buf;
    }

    int getByte() {
        try {
            return buf.get();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    int getInt() {
        try {
            return buf.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    long getLong() {
        try {
            return buf.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    /** A count written by {@link StateWriter#putDoubles} or {@link StateWriter#putInts}, checked. */
    private int getCount(String what, int max, int elementBytes) {
        int count = getInt();
        if (count < 0 || count > max || (long) count * elementBytes > buf.remaining()) {
            throw new CorruptStateException(what + " count " + count + " is impossible");
        }
        return count;
    }

    /** Reads what {@link StateWriter#putDoubles} wrote, refusing more than {@code max} values. */
    double[] getDoubles(String what, int max) {
        double[] values = new double[getCount(what, max, Double.BYTES)];
        for (int i = 0; i < values.length; i++) {
            values[i] = getDouble();
        }
        return values;
    }

    /** Reads what {@link StateWriter#putInts} wrote, refusing more than {@code max} values. */
    int[] getInts(String what, int max) {
        int[] values = new int[getCount(what, max, Integer.BYTES)];
        for (int i = 0; i < values.length; i++) {
            values[i] = getInt();
        }
        return values;
    }

    int remaining() {
        return buf.remaining();
    }

    private static CorruptStateException truncated() {
        return new CorruptStateException("evaluation state is truncated");
    }
}
