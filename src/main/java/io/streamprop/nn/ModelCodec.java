package io.streamprop.nn;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.ejml.data.DMatrixRMaj;

/**
 * The binary form of a {@link Model}'s whole training state. Big-endian layout:
 * <pre>
 *   magic "SPMS"            4 bytes
 *   format version          2 bytes (1 or 2)
 *   spec JSON length        4 bytes, then the spec JSON in UTF-8
 *   examples seen           8 bytes
 *   updates applied         8 bytes
 *   steps rejected          8 bytes
 *   (version 2 only)        optimizer steps (8 bytes), learning-rate factor (a double),
 *                           boosted steps left (8 bytes): see {@link Model#restartOptimizer}
 *   scaler present          1 byte; if 1: count (8 bytes), mean and M2 (inputs doubles each)
 *   per layer:              weights (inputs x outputs doubles, row-major), bias (outputs doubles),
 *                           then for each optimizer moment buffer: its weights, then its bias
 *   CRC-32C                 4 bytes, of everything before it
 * </pre>
 * Doubles are written as their IEEE 754 bits, so decoding gives back the exact state. A model
 * whose optimizer was never restarted is written in version 1, which a version 1 reader still
 * reads; version 2 adds the optimizer's own step count and learning-rate boost.
 */
public final class ModelCodec {
    /** The newest format version, which this build reads along with every older one. */
    public static final int FORMAT_VERSION = 2;
    private static final int PLAIN_FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'S', 'P', 'M', 'S'};
    private static final int CRC_BYTES = 4;
    private static final int HEADER_BYTES = MAGIC.length + 2 + 4;

    private ModelCodec() {
    }

    public static byte[] encode(Model model) {
        byte[] spec = model.spec().toJson().getBytes(StandardCharsets.UTF_8);
        int version = formatVersionOf(model);
        ByteBuffer buf = ByteBuffer.allocate(encodedSize(model, spec.length, version));
        buf.put(MAGIC).putShort((short) version).putInt(spec.length).put(spec);
        buf.putLong(model.examplesSeen()).putLong(model.updatesApplied()).putLong(model.stepsRejected());
        if (version >= 2) {
            buf.putLong(model.optimizerSteps()).putDouble(model.learningRateFactor()).putLong(model.boostedStepsLeft());
        }
        FeatureScaler scaler = model.scaler();
        buf.put((byte) (scaler == null ? 0 : 1));
        if (scaler != null) {
            buf.putLong(scaler.count());
            putDoubles(buf, scaler.mean());
            putDoubles(buf, scaler.m2());
        }
        for (int l = 0; l < model.depth(); l++) {
            DenseLayer layer = model.layer(l);
            putDoubles(buf, layer.weights.data);
            putDoubles(buf, layer.bias.data);
            for (int k = 0; k < layer.weightMoments.length; k++) {
                putDoubles(buf, layer.weightMoments[k].data);
                putDoubles(buf, layer.biasMoments[k].data);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /**
     * Decodes bytes made by {@link #encode}.
     *
     * @throws CorruptModelException when the bytes are truncated, corrupted or of another format
     */
    public static Model decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new CorruptModelException("model state is truncated: "
                    + (bytes == null ? "no" : bytes.length) + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new CorruptModelException("not a Streamprop model state (bad magic bytes)");
        }
        int version = buf.getShort();
        if (version < PLAIN_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw new CorruptModelException("model state format version " + version
                    + " is not supported; this build reads versions 1 to " + FORMAT_VERSION);
        }
        int body = bytes.length - CRC_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, body);
        int expected = ByteBuffer.wrap(bytes, body, CRC_BYTES).getInt();
        if ((int) crc.getValue() != expected) {
            throw new CorruptModelException("model state checksum mismatch: the bytes are corrupted"
                    + " or truncated (" + bytes.length + " bytes)");
        }
        try {
            Model model = readBody(buf, version);
            if (buf.position() != body) {
                throw new CorruptModelException("model state has " + (body - buf.position())
                        + " unexpected trailing bytes");
            }
            return model;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptModelException("model state is malformed: " + e.getMessage(), e);
        }
    }

    /** The lowest format version that holds the model's whole state. */
    static int formatVersionOf(Model model) {
        return model.hasPlainOptimizerSchedule() ? PLAIN_FORMAT_VERSION : FORMAT_VERSION;
    }

    private static Model readBody(ByteBuffer buf, int version) {
        int specLength = buf.getInt();
        if (specLength < 0 || specLength > buf.remaining()) {
            throw new CorruptModelException("model state spec length " + specLength + " is impossible");
        }
        byte[] specBytes = new byte[specLength];
        buf.get(specBytes);
        NetworkSpec spec = NetworkSpec.fromJson(new String(specBytes, StandardCharsets.UTF_8));
        Model model = Model.blank(spec);
        model.restoreCounters(buf.getLong(), buf.getLong(), buf.getLong());
        if (version >= 2) {
            restoreOptimizerSchedule(model, buf.getLong(), buf.getDouble(), buf.getLong());
        }
        boolean hasScaler = buf.get() == 1;
        if (hasScaler != (model.scaler() != null)) {
            throw new CorruptModelException("model state scaler flag disagrees with its spec");
        }
        if (hasScaler) {
            long count = buf.getLong();
            double[] mean = getDoubles(buf, spec.inputs());
            double[] m2 = getDoubles(buf, spec.inputs());
            model.scaler().restoreFrom(count, mean, m2);
        }
        for (int l = 0; l < model.depth(); l++) {
            DenseLayer layer = model.layer(l);
            readInto(buf, layer.weights);
            readInto(buf, layer.bias);
            for (int k = 0; k < layer.weightMoments.length; k++) {
                readInto(buf, layer.weightMoments[k]);
                readInto(buf, layer.biasMoments[k]);
            }
        }
        return model;
    }

    /** Checks and sets a decoded optimizer schedule (format version 2). */
    static void restoreOptimizerSchedule(Model model, long steps, double factor, long boostedStepsLeft) {
        if (steps < 0 || steps > model.updatesApplied() || boostedStepsLeft < 0
                || !(factor > 0) || Double.isInfinite(factor)) {
            throw new CorruptModelException("model state optimizer schedule is impossible: " + steps
                    + " optimizer steps of " + model.updatesApplied() + " updates, learning-rate factor "
                    + factor + " for " + boostedStepsLeft + " more steps");
        }
        model.restoreOptimizerSchedule(steps, factor, boostedStepsLeft);
    }

    private static int encodedSize(Model model, int specBytes, int version) {
        long size = HEADER_BYTES + specBytes + 3L * Long.BYTES + 1 + CRC_BYTES;
        if (version >= 2) {
            size += 3L * Long.BYTES;
        }
        if (model.scaler() != null) {
            size += Long.BYTES + 2L * Double.BYTES * model.spec().inputs();
        }
        int buffers = 1 + model.spec().optimizer().type().momentBuffers();
        size += (long) buffers * Double.BYTES * model.parameterCount();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("model state of " + size + " bytes is too large to encode");
        }
        return (int) size;
    }

    private static void putDoubles(ByteBuffer buf, double[] values) {
        buf.asDoubleBuffer().put(values);
        buf.position(buf.position() + values.length * Double.BYTES);
    }

    private static double[] getDoubles(ByteBuffer buf, int n) {
        double[] values = new double[n];
        buf.asDoubleBuffer().get(values);
        buf.position(buf.position() + n * Double.BYTES);
        return values;
    }

    private static void readInto(ByteBuffer buf, DMatrixRMaj m) {
        int n = m.getNumElements();
        buf.asDoubleBuffer().get(m.data, 0, n);
        buf.position(buf.position() + n * Double.BYTES);
    }
}
