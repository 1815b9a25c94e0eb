package io.streamprop.topology;

import java.nio.ByteBuffer;

/**
 * Entries of a model's training log: every example that joined a pending batch since the last
 * checkpoint of the weights, and a marker for every training step taken on them. Replaying the
 * log on top of the checkpoint gives back the exact weights and the pending batch, because
 * training is deterministic. Entries are keyed by model id and a sequence number that sorts in
 * order, so one range scan reads a model's log.
 *
 * <p>An example is logged by reference: its timestamp and its partition and offset in the
 * examples topic, gathered into chunks of up to {@link #REFS_PER_CHUNK}. The topic itself keeps
 * the example, so the changelog carries about 20 bytes per example instead of its features.
 * Replay reads the referenced records back. An example may also be logged inline, with its
 * features and target, when the topic may not keep it long enough.
 *
 * <p>A drift reaction that changed the model (see {@link ModelEvaluator}) is logged where it
 * happened, after the example whose prediction raised the alarm, so that replay changes the
 * model at the same point.
 */
final class TrainingLog {
    static final byte EXAMPLE = 0;
    static final byte STEP = 1;
    static final byte REFS = 2;
    static final byte REACTION = 3;
    /** Most example references in one entry; a chunk is rewritten whole as it grows. */
    static final int REFS_PER_CHUNK = 64;
    static final int REF_BYTES = 8 + 4 + 8;
    private static final int REFS_HEADER = 1 + 4;
    /** The whole value of a step marker; shared, never modified. */
    private static final byte[] STEP_ENTRY = {STEP};
    private static final int SEQ_DIGITS = 10;
    private static final int EXAMPLE_HEADER = 1 + 8 + 4 + 8 + 4 + 4;
    private static final int REACTION_BYTES = 1 + 8 + 1 + 8 + 4;

    private TrainingLog() {
    }

    /** The store key of entry {@code seq} of {@code modelId}'s log. */
    static String key(String modelId, int seq) {
        char[] digits = new char[SEQ_DIGITS];
        int v = seq;
        for (int i = SEQ_DIGITS - 1; i >= 0; i--) {
            digits[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return modelId + '\u0000' + new String(digits);
    }

    /** The first key of {@code modelId}'s log, for a range scan. */
    static String firstKey(String modelId) {
        return key(modelId, 0);
    }

    /** The last possible key of {@code modelId}'s log, for a range scan. */
    static String lastKey(String modelId) {
        return key(modelId, Integer.MAX_VALUE);
    }

    /** The model id of a log key. */
    static String modelOf(String key) {
        return key.substring(0, key.length() - SEQ_DIGITS - 1);
    }

    static byte[] step() {
        return STEP_ENTRY;
    }

    static byte[] example(long timestamp, int partition, long offset, double[] features, double[] target) {
        ByteBuffer buf = ByteBuffer.allocate(EXAMPLE_HEADER + Double.BYTES * (features.length + target.length));
        buf.put(EXAMPLE).putLong(timestamp).putInt(partition).putLong(offset);
        buf.putInt(features.length).putInt(target.length);
        buf.asDoubleBuffer().put(features).put(target);
        return buf.array();
    }

    /**
     * A chunk of references to examples: those at indices {@code from} (inclusive) to {@code to}
     * (exclusive) of the three arrays.
     */
    static byte[] refs(long[] timestamps, int[] partitions, long[] offsets, int from, int to) {
        ByteBuffer buf = ByteBuffer.allocate(REFS_HEADER + REF_BYTES * (to - from));
        buf.put(REFS).putInt(to - from);
        for (int i = from; i < to; i++) {
            buf.putLong(timestamps[i]).putInt(partitions[i]).putLong(offsets[i]);
        }
        return buf.array();
    }

    /**
     * A drift reaction applied to the model, with the timestamp of the example after which it
     * came: kind, timestamp (8 bytes), reaction (its ordinal, 1 byte), learning-rate factor and
     * boosted steps of an optimizer restart (8 and 4 bytes).
     */
    static byte[] reaction(long timestamp, DriftReaction reaction, double learningRateFactor, int boostSteps) {
        return ByteBuffer.allocate(REACTION_BYTES).put(REACTION).putLong(timestamp).put((byte) reaction.ordinal())
                .putDouble(learningRateFactor).putInt(boostSteps).array();
    }

    static DriftReaction reactionOf(byte[] entry) {
        return DriftReaction.values()[entry[9]];
    }

    static double reactionLearningRateFactor(byte[] entry) {
        return ByteBuffer.wrap(entry).getDouble(10);
    }

    static int reactionBoostSteps(byte[] entry) {
        return ByteBuffer.wrap(entry).getInt(18);
    }

    static int refCount(byte[] entry) {
        return ByteBuffer.wrap(entry).getInt(1);
    }

    static long refTimestamp(byte[] entry, int i) {
        return ByteBuffer.wrap(entry).getLong(REFS_HEADER + REF_BYTES * i);
    }

    static int refPartition(byte[] entry, int i) {
        return ByteBuffer.wrap(entry).getInt(REFS_HEADER + REF_BYTES * i + 8);
    }

    static long refOffset(byte[] entry, int i) {
        return ByteBuffer.wrap(entry).getLong(REFS_HEADER + REF_BYTES * i + 12);
    }

    /**
     * The timestamp of the first example of an example or references entry; for a reaction, that
     * of the example it followed.
     */
    static long firstTimestamp(byte[] entry) {
        return kind(entry) == REFS ? refTimestamp(entry, 0) : timestamp(entry);
    }

    static byte kind(byte[] entry) {
        return entry[0];
    }

    static long timestamp(byte[] entry) {
        return ByteBuffer.wrap(entry).getLong(1);
    }

    static int partition(byte[] entry) {
        return ByteBuffer.wrap(entry).getInt(9);
    }

    static long offset(byte[] entry) {
        return ByteBuffer.wrap(entry).getLong(13);
    }

    /** Reads an example entry's features and target into arrays that must fit them. */
    static void readExample(byte[] entry, double[] features, double[] target) {
        ByteBuffer buf = ByteBuffer.wrap(entry);
        buf.position(21);
        int n = buf.getInt();
        int m = buf.getInt();
        if (n != features.length || m != target.length) {
            throw new IllegalStateException("logged example is " + n + " -> " + m + ", the model "
                    + features.length + " -> " + target.length);
        }
        buf.asDoubleBuffer().get(features).get(target);
    }
}
