package io.streamprop.nn;

/** Encoded model state that cannot be decoded: truncated, corrupted, or of an unknown format. */
public class CorruptModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptModelException(String message) {
        super(message);
    }

    public CorruptModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
