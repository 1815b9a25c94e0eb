package io.streamprop.eval;

/** Encoded evaluation state that cannot be decoded: truncated, corrupted, or of another kind or format. */
public class CorruptStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptStateException(String message) {
        super(message);
    }

    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
