package io.streamprop.eval;

/**
 * The prequential scores of one classifier over the three kinds of window at once. Each example
 * must be scored with the prediction made before the classifier learned from it.
 */
public final class ClassifierMetrics {
    private final WindowSet<ClassifierWindow> windows;

    public ClassifierMetrics(EvaluationSettings settings, int classes) {
        windows = new WindowSet<>(kind -> new ClassifierWindow(kind, settings, classes));
    }

    /**
     * Scores one example.
     *
     * @param predicted           the class the classifier predicted (its most probable class)
     * @param actual              the true class
     * @param probabilityOfActual the probability the classifier gave the true class
     */
    public void add(int predicted, int actual, double probabilityOfActual) {
        if (predicted < 0 || actual < 0 || predicted >= AgreementCounts.MAX_CLASSES
                || actual >= AgreementCounts.MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be in [0, " + AgreementCounts.MAX_CLASSES
                    + "), got predicted " + predicted + " and actual " + actual);
        }
        if (!(probabilityOfActual >= 0.0)) {
            throw new IllegalArgumentException("probabilityOfActual must be >= 0, got " + probabilityOfActual);
        }
        for (ClassifierWindow w : windows.all()) {
            w.add(predicted, actual, probabilityOfActual);
        }
    }

    public ClassifierWindow cumulative() {
        return windows.get(WindowKind.CUMULATIVE);
    }

    public ClassifierWindow sliding() {
        return windows.get(WindowKind.SLIDING);
    }

    public ClassifierWindow fading() {
        return windows.get(WindowKind.FADING);
    }

    public ClassifierWindow window(WindowKind kind) {
        return windows.get(kind);
    }

    void writeTo(StateWriter out) {
        windows.writeTo(out);
    }

    void readFrom(StateReader in) {
        windows.readFrom(in);
    }
}
