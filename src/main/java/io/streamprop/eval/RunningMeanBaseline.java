package io.streamprop.eval;

/** Predicts, for each output, the mean of the targets seen so far (0 before any). */
public final class RunningMeanBaseline {
    private final double[] mean;
    private long seen;

    public RunningMeanBaseline(int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
        mean = new double[outputs];
    }

    public int outputs() {
        return mean.length;
    }

    /** Writes the prediction into {@code into}. */
    public void predict(double[] into) {
        System.arraycopy(mean, 0, into, 0, mean.length);
    }

    public void learn(double[] actual) {
        seen++;
        for (int k = 0; k < mean.length; k++) {
            // mean_n = mean_{n-1} + (y - mean_{n-1}) / n
            mean[k] += (actual[k] - mean[k]) / seen;
        }
    }

    void writeTo(StateWriter out) {
        out.putLong(seen).putDoubles(mean, mean.length);
    }

    void readFrom(StateReader in) {
        seen = in.getLong();
        double[] decoded = in.getDoubles("output", mean.length);
        if (decoded.length != mean.length || seen < 0) {
            throw new CorruptStateException("running-mean state has " + decoded.length + " outputs, expected "
                    + mean.length);
        }
        System.arraycopy(decoded, 0, mean, 0, mean.length);
    }
}
