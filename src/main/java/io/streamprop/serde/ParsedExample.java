package io.streamprop.serde;

/**
 * An example or query as read from JSON, before it is checked against a model.
 *
 * @param id the example's id, or null when the record has none
 * @param features the feature values, all finite
 * @param label the label, or null for a query or an example without one
 */
public record ParsedExample(String id, double[] features, Label label) {

    /**
     * A label as written: a single number (a binary label, a regression target or a class
     * index), an array of numbers (several outputs), or a class name.
     */
    public record Label(double scalar, double[] values, String name) {
        public static Label of(double scalar) {
            return new Label(scalar, null, null);
        }

        public static Label of(double[] values) {
            return new Label(Double.NaN, values, null);
        }

        public static Label named(String name) {
            return new Label(Double.NaN, null, name);
        }

        public boolean isArray() {
            return values != null;
        }

        public boolean isName() {
            return name != null;
        }
    }
}
