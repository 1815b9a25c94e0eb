package io.streamprop.topology;

import java.nio.ByteBuffer;

/** The binary form of an example waiting in a pending batch: its features and its target. */
final class PendingExample {
    private PendingExample() {
    }

    static byte[] encode(double[] features, double[] target) {
        ByteBuffer buf = ByteBuffer.allocate(8 + Double.BYTES * (features.length + target.length));
        buf.putInt(features.length).putInt(target.length);
        buf.asDoubleBuffer().put(features).put(target);
        return buf.array();
    }

    /** Reads an encoded example into {@code features} and {@code target}, which must fit it. */
    static void decode(byte[] bytes, double[] features, double[] target) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int n = buf.getInt();
        int m = buf.getInt();
        if (n != features.length || m != target.length) {
            throw new IllegalStateException("pending example is " + n + " -> " + m + ", the model "
                    + features.length + " -> " + target.length);
        }
        buf.asDoubleBuffer().get(features).get(target);
    }

    /** The store key of slot {@code slot} of model {@code modelId}'s pending batch. */
    static String key(String modelId, int slot) {
        return modelId + '\u0000' + slot;
    }
}
