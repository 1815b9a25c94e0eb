package io.streamprop.nn;

/** A network spec that cannot be used, with the offending field named. */
public class InvalidSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidSpecException(String field, String problem) {
        super("invalid spec: " + field + ": " + problem);
        this.field = field;
    }

    /** The JSON path of the field at fault, such as {@code layers[2]} or {@code optimizer.beta1}. */
    public String field() {
        return field;
    }
}
