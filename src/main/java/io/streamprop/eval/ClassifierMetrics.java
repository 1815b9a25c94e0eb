package io.streamprop.eval;

/**
 * The prequential scores of one classifier over the three kinds of window at once. Each example
 * must be scored with the prediction made before the classifier learned from it.
 */
public final class ClassifierMetrics {
    private final ClassifierWindow cumulative;
    private final ClassifierWindow sliding;
    private final ClassifierWindow fading;

    public ClassifierMetrics(EvaluationSettings settings, int classes) {
        cumulative = new ClassifierWindow(WindowKind.CUMULATIVE, settings, classes);
        sliding = new ClassifierWindow(WindowKind.SLIDING, settings, classes);
        fading = new ClassifierWindow(WindowKind.FADING, settings, classes);
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
        cumulative.add(predicted, actual, probabilityOfActual);
        sliding.add(predicted, actual, probabilityOfActual);
        fading.add(predicted, actual, probabilityOfActual);
    }

    public ClassifierWindow cumulative() {
        return cumulative;
    }

    public ClassifierWindow sliding() {
        return sliding;
    }

    public ClassifierWindow fading() {
        return fading;
    }

    public ClassifierWindow window(WindowKind kind) {
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
