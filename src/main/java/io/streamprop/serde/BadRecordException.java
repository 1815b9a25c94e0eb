package io.streamprop.serde;

/** An input record that cannot be used, with the reason and a message for a person. */
public final class BadRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Rejection rejection;

    public BadRecordException(Rejection rejection, String message) {
        super(message, null, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
