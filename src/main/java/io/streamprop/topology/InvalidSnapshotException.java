package io.streamprop.topology;

/** A value that was meant as a model snapshot but cannot be read back as one; the message names the field. */
public class InvalidSnapshotException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSnapshotException(String problem) {
        super("invalid snapshot: " + problem);
    }
}
