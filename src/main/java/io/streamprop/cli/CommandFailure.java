package io.streamprop.cli;

/**
 * A command that could not do its work, for a reason the user can act on: the message says
 * what went wrong, and the tool exits with {@link #exitCode()} without printing the usage.
 */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit code when the input (a spec, a snapshot file) is invalid. */
    static final int INVALID_INPUT = 2;
    /** Exit code when the cluster failed, or what was asked for does not exist. */
    static final int FAILED = 1;

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** The message of {@code e} followed by those of its causes, for errors whose cause says more. */
    static String messageWithCauses(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            message.append(": ").append(cause.getMessage());
        }
        return message.toString();
    }
}
