package io.streamprop.eval;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable big-endian buffer for evaluation state. Doubles are written as their raw IEEE 754 bits. */
final class StateWriter {
    private ByteBuffer buf = ByteBuffer.allocate(256);

    StateWriter putByte(int value) {
        ensure(1).put((byte) value);
        return this;
    }

    StateWriter putShort(int value) {
        ensure(Short.BYTES).putShort((short) value);
        return this;
    }

    StateWriter putInt(int value) {
        ensure(Integer.BYTES).putInt(value);
        return this;
    }

    StateWriter putLong(long value) {
        ensure(Long.BYTES).putLong(value);
        return this;
    }

    StateWriter putDouble(double value) {
        ensure(Long.BYTES).putLong(Double.doubleToRawLongBits(value));
        return this;
    }

    /** Writes the count, then {@code values[0..count)}. */
    StateWriter putDoubles(double[] values, int count) {
        putInt(count);
        for (int i = 0; i < count; i++) {
            putDouble(values[i]);
        }
        return this;
    }

    /** Writes the count, then {@code values[0..count)}. */
    StateWriter putInts(int[] values, int count) {
        putInt(count);
        for (int i = 0; i < count; i++) {
            putInt(values[i]);
        }
        return this;
    }

    int position() {
        return buf.position();
    }

    byte[] array() {
        return buf.array();
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private ByteBuffer ensure(int bytes) {
        if (buf.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * buf.capacity(), buf.position() + bytes));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }
}
