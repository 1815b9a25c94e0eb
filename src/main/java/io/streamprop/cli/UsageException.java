package io.streamprop.cli;

/** Wrong command-line arguments; the message says what was wrong. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
