package io.streamprop.eval;

/**
 * The prequential scores of one regression model over the three kinds of window at once. Each
 * example must be scored with the prediction made before the model learned from it.
 */
public final class RegressionMetrics {
    private final RegressionWindow cumulative;
    private final RegressionWindow sliding;
    private final RegressionWindow fading;

    public RegressionMetrics(EvaluationSettings settings) {
        cumulative = new RegressionWindow(WindowKind.CUMULATIVE, settings);
        sliding = new RegressionWindow(WindowKind.SLIDING, settings);
        fading = new RegressionWindow(WindowKind.FADING, settings);
    }

    /** Scores one example of a single-output model. */
    public void add(double predicted, double actual) {
        double e = predicted - actual;
        addErrors(Math.abs(e), e * e);
    }

    /** Scores one example of a model with {@code actual.length} outputs: the errors are averaged over them. */
    public void add(double[] predicted, double[] actual) {
        if (predicted.length != actual.length || actual.length == 0) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " values, actual has "
                    + actual.length + "; expected the same number, at least one");
        }
        double absolute = 0.0;
        double squared = 0.0;
        for (int k = 0; k < actual.length; k++) {
            double e = predicted[k] - actual[k];
            absolute += Math.abs(e);
            squared += e * e;
        }
        addErrors(absolute / actual.length, squared / actual.length);
    }

    private void addErrors(double absolute, double squared) {
        if (!Double.isFinite(squared)) {
            throw new IllegalArgumentException("prediction error must be finite, got squared error " + squared);
        }
        cumulative.add(absolute, squared);
        sliding.add(absolute, squared);
        fading.add(absolute, squared);
    }

    public RegressionWindow cumulative() {
        return cumulative;
    }

    public RegressionWindow sliding() {
        return sliding;
    }

    public RegressionWindow fading() {
        return fading;
    }

    public RegressionWindow window(WindowKind kind) {
        switch (kind) {
            case CUMULATIVE:
                return cumulative;
            case SLIDING:
                return sliding;
            case FADING:
                return fading;
            default:
                throw new AssertionError(kind);
        }
    }

    void writeTo(StateWriter out) {
        cumulative.writeTo(out);
        sliding.writeTo(out);
        fading.writeTo(out);
    }

    void readFrom(StateReader in) {
        cumulative.readFrom(in);
        sliding.readFrom(in);
        fading.readFrom(in);
    }
}
