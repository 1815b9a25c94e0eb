package io.streamprop.nn;

import java.util.Locale;

/** The update rules a spec can choose. */
public enum OptimizerType {
    /** w -= lr * g. */
    SGD,
    /** v = mu v + g; w -= lr * v. */
    MOMENTUM,
    /** Adam (Kingma and Ba, 2015) with bias-corrected first and second moments. */
    ADAM;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How many moment buffers, each the size of the parameters, this rule keeps. */
    int momentBuffers() {
        switch (this) {
            case SGD:
                return 0;
            case MOMENTUM:
                return 1;
            case ADAM:
                return 2;
            default:
                throw new AssertionError(this);
        }
    }
}
