package io.streamprop.eval;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The frame around every encoded evaluation state. Big-endian layout:
 * <pre>
 *   magic "SPEV"      4 bytes
 *   format version    2 bytes (currently 1)
 *   kind              1 byte: 1 classifier evaluation, 2 regression evaluation, 3 Page-Hinkley
 *   body              the kind's fields
 *   CRC-32C           4 bytes, of everything before it
 * </pre>
 */
final class StateFormat {
    static final int FORMAT_VERSION = 1;
    static final int CLASSIFIER_EVALUATION = 1;
    static final int REGRESSION_EVALUATION = 2;
    static final int PAGE_HINKLEY = 3;

    private static final byte[] MAGIC = {'S', 'P', 'E', 'V'};
    private static final int HEADER_BYTES = MAGIC.length + 2 + 1;
    private static final int CRC_BYTES = 4;

    private StateFormat() {
    }

    /** A writer with the header of {@code kind} already written. */
    static StateWriter begin(int kind) {
        StateWriter out = new StateWriter();
        for (byte b : MAGIC) {
            out.putByte(b);
        }
        return out.putShort(FORMAT_VERSION).putByte(kind);
    }

    /** Closes the frame with its checksum. */
    static byte[] finish(StateWriter out) {
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        return out.putInt((int) crc.getValue()).toBytes();
    }

    /**
     * Checks the frame of {@code bytes} (magic, version, kind, checksum) and reads its body.
     *
     * @throws CorruptStateException when the bytes are not a whole, intact state of that kind
     */
    static <T> T decode(byte[] bytes, int kind, Function<StateReader, T> body) {
        if (bytes == null || bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new CorruptStateException("evaluation state is truncated: "
                    + (bytes == null ? "no" : bytes.length) + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptStateException("not a Streamprop evaluation state (bad magic bytes)");
        }
        int version = buf.getShort();
        if (version != FORMAT_VERSION) {
            throw new CorruptStateException("evaluation state format version " + version
                    + " is not supported; this build reads version " + FORMAT_VERSION);
        }
        int end = bytes.length - CRC_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, end, CRC_BYTES).getInt()) {
            throw new CorruptStateException("evaluation state checksum mismatch: the bytes are corrupted"
                    + " or truncated (" + bytes.length + " bytes)");
        }
        int found = buf.get();
        if (found != kind) {
            throw new CorruptStateException("evaluation state is of kind " + found + ", expected " + kind);
        }
        StateReader in = new StateReader(buf.limit(end).slice());
        try {
            T value = body.apply(in);
            if (in.remaining() != 0) {
                throw new CorruptStateException("evaluation state has " + in.remaining()
                        + " unexpected trailing bytes");
            }
            return value;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptStateException("evaluation state is malformed: " + e.getMessage(), e);
        }
    }
}
