package io.streamprop.eval;

/**
 * The prequential scores of one regression model over the three kinds of window at once. Each
 * example must be scored with the prediction made before the model learned from it.
 */
public final class RegressionMetrics {
    private final WindowSet<RegressionWindow> windows;

    public RegressionMetrics(EvaluationSettings settings) {
        windows = new WindowSet<>(kind -> new RegressionWindow(kind, settings));
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
        for (RegressionWindow w : windows.all()) {
            w.add(absolute, squared);
        }
    }

    public RegressionWindow cumulative() {
        return windows.get(WindowKind.CUMULATIVE);
    }

    public RegressionWindow sliding() {
        return windows.get(WindowKind.SLIDING);
    }

    public RegressionWindow fading() {
        return windows.get(WindowKind.FADING);
    }

    public RegressionWindow window(WindowKind kind) {
        return windows.get(kind);
    }

    void writeTo(StateWriter out) {
        windows.writeTo(out);
    }

    void readFrom(StateReader in) {
        windows.readFrom(in);
    }
}
