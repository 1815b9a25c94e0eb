package io.streamprop.topology;

import java.nio.ByteBuffer;

/**
 * An example that came without a label and waits for one on the labels topic: where it came
 * from, the version and answer (outputs and logits) of its prediction, and its features. Stored
 * under the model id and example id.
 */
record AwaitingExample(long timestamp, int partition, long offset, long version, double[] output,
                       double[] logits, double[] features) {
    private static final int HEADER = 8 + 4 + 8 + 8 + 4 + 4;

    static String key(String modelId, String exampleId) {
        return prefix(modelId) + exampleId;
    }

    /** What the keys of {@code modelId}'s examples start with, for a prefix scan. */
    static String prefix(String modelId) {
        return modelId + '\u0000';
    }

    byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + Double.BYTES * (2 * output.length + features.length));
        buf.putLong(timestamp).putInt(partition).putLong(offset).putLong(version);
        buf.putInt(output.length).putInt(features.length);
        buf.asDoubleBuffer().put(output).put(logits).put(features);
        return buf.array();
    }

    static AwaitingExample decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long timestamp = buf.getLong();
        int partition = buf.getInt();
        long offset = buf.getLong();
        long version = buf.getLong();
        double[] output = new double[buf.getInt()];
        double[] logits = new double[output.length];
        double[] features = new double[buf.getInt()];
        buf.asDoubleBuffer().get(output).get(logits).get(features);
        return new AwaitingExample(timestamp, partition, offset, version, output, logits, features);
    }

    /** The timestamp alone, without decoding the rest. */
    static long timestampOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong(0);
    }
}
