package io.streamprop.topics;

/** The cluster refused or did not answer a request of {@link TopicCreator}; the cause says why. */
public final class TopicCreationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean timedOut;

    public TopicCreationException(String message, boolean timedOut, Throwable cause) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /** Whether the cluster did not answer in time, as when it is unreachable. */
    public boolean timedOut() {
        return timedOut;
    }
}
