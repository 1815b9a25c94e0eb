package io.streamprop.serde;

import java.util.Locale;

/** Why an input record was sent to the dead-letter topic instead of being used. */
public enum Rejection {
    /** The record has no key, so no model id. */
    MISSING_KEY,
    /** The value is not a JSON document (or not an object). */
    NOT_JSON,
    /** The value is larger than the configured limit, or a vector is longer than allowed. */
    TOO_LARGE,
    /** An example or query has no {@code features} array. */
    MISSING_FEATURES,
    /** A feature or label value is not a number. */
    NOT_NUMERIC,
    /** A feature or label value is NaN or infinite. */
    NOT_FINITE,
    /** The number of features differs from the model's inputs. */
    WRONG_FEATURE_COUNT,
    /** An example on the examples topic has no label. */
    MISSING_LABEL,
    /** A label does not fit the model's outputs (class out of range, wrong length, ...). */
    LABEL_OUT_OF_RANGE,
    /**
     * A label's kind does not suit the model: a class name for a model that is not a softmax
     * classifier, or a number for a model whose classes have names (or the other way round).
     */
    WRONG_LABEL_KIND,
    /** A label on the labels topic matches no example waiting for one. */
    UNMATCHED_LABEL,
    /** An example or query names a model that has no spec. */
    UNKNOWN_MODEL,
    /** A spec on the models topic is invalid (unknown field, bad value, ...). */
    INVALID_SPEC,
    /** A spec changes the layer sizes of an existing model without asking for a reset. */
    SHAPE_CHANGE,
    /** A training step was refused because it would have made the model non-finite. */
    STEP_REJECTED,
    /** A snapshot on the models topic, sent to warm-start a model, cannot be read back. */
    INVALID_SNAPSHOT;

    /** The name written in dead letters, such as {@code wrong_feature_count}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
