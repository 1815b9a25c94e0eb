package io.streamprop.topology;

/** What the learner does to a model when the drift detector on its loss raises an alarm. */
public enum DriftReaction {
    /** Only report the alarm. */
    NONE("none"),
    /**
     * Restart the optimizer (moments to zero, Adam's bias correction from the next update) and
     * multiply the learning rate by the spec's factor for its number of updates; weights stay.
     */
    RESET_OPTIMIZER("reset_optimizer"),
    /** Replace the weights, optimizer state and feature statistics with fresh ones, as at creation. */
    RESET_MODEL("reset_model");

    private final String jsonName;

    DriftReaction(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The reaction named {@code name} in a spec; null when there is none of that name. */
    static DriftReaction byJsonName(String name) {
        for (DriftReaction r : values()) {
            if (r.jsonName.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
