package io.streamprop.eval;

import java.util.Optional;

/**
 * The Page-Hinkley test (E. S. Page, "Continuous inspection schemes", Biometrika 41, 1954) for an
 * increase in the mean of a stream, such as a model's prediction loss, in the form Gama,
 * Sebastião and Rodrigues use to detect concept drift ("On evaluating stream learning
 * algorithms", Machine Learning 90, 2013). For the values x_1..x_T since the start or the last
 * alarm:
 * <pre>
 *   mean_T = (1/T) sum_{t=1..T} x_t
 *   m_T    = alpha m_{T-1} + (x_T - mean_T - delta),   m_0 = 0
 *   M_T    = min_{t=1..T} m_t
 *   PH_T   = m_T - M_T
 * </pre>
 * and an alarm is raised when T &gt;= minInstances and PH_T &gt; lambda; the test then starts
 * afresh. With alpha = 1 this is Page's cumulative sum; alpha &lt; 1 forgets old deviations, as
 * Gama et al. propose. O(1) time and memory per value; the state encodes to bytes.
 */
public final class PageHinkley {
    private final PageHinkleySettings settings;
    private long observations;
    private long sinceReset;
    private double mean;
    private double cumulative;
    private double minimum;
    private long alarms;

    public PageHinkley(PageHinkleySettings settings) {
        this.settings = settings;
        restart();
    }

    /**
     * Takes in the next value.
     *
     * @return the alarm, if this value raised one
     */
    public Optional<DriftEvent> add(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("a monitored value must be finite, got " + x);
        }
        observations++;
        sinceReset++;
        // mean_T = mean_{T-1} + (x_T - mean_{T-1}) / T
        mean += (x - mean) / sinceReset;
        // m_T = alpha m_{T-1} + (x_T - mean_T - delta);  M_T = min(M_{T-1}, m_T)
        cumulative = settings.alpha() * cumulative + (x - mean - settings.delta());
        minimum = Math.min(minimum, cumulative);

        double statistic = cumulative - minimum;
        if (sinceReset < settings.minInstances() || !(statistic > settings.lambda())) {
            return Optional.empty();
        }
        DriftEvent event = new DriftEvent(observations, sinceReset, statistic, settings.lambda(), mean);
        alarms++;
        restart();
        return Optional.of(event);
    }

    /** Starts the test afresh, as after an alarm (for instance when the monitored model is replaced). */
    public void restart() {
        sinceReset = 0;
        mean = 0.0;
        cumulative = 0.0;
        minimum = Double.POSITIVE_INFINITY;
    }

    public PageHinkleySettings settings() {
        return settings;
    }

    /** The current PH_T = m_T - M_T; 0 before any value since the start or the last alarm. */
    public double statistic() {
        return sinceReset == 0 ? 0.0 : cumulative - minimum;
    }

    /** The number of values taken in over the detector's whole life. */
    public long observations() {
        return observations;
    }

    /** The number of alarms raised. */
    public long alarms() {
        return alarms;
    }

    /** The whole state, settings included. */
    public byte[] toBytes() {
        StateWriter out = StateFormat.begin(StateFormat.PAGE_HINKLEY);
        out.putDouble(settings.delta()).putDouble(settings.lambda()).putInt(settings.minInstances())
                .putDouble(settings.alpha());
        out.putLong(observations).putLong(sinceReset).putLong(alarms);
        out.putDouble(mean).putDouble(cumulative).putDouble(minimum);
        return StateFormat.finish(out);
    }

    /**
     * Decodes bytes made by {@link #toBytes}.
     *
     * @throws CorruptStateException when the bytes are truncated, corrupted or of another kind
     */
    public static PageHinkley fromBytes(byte[] bytes) {
        return StateFormat.decode(bytes, StateFormat.PAGE_HINKLEY, in -> {
            PageHinkley test = new PageHinkley(new PageHinkleySettings(in.getDouble(), in.getDouble(),
                    in.getInt(), in.getDouble()));
            test.observations = in.getLong();
            test.sinceReset = in.getLong();
            test.alarms = in.getLong();
            test.mean = in.getDouble();
            test.cumulative = in.getDouble();
            test.minimum = in.getDouble();
            if (test.sinceReset < 0 || test.sinceReset > test.observations || test.alarms < 0) {
                throw new CorruptStateException("Page-Hinkley state is impossible: " + test.sinceReset
                        + " values since reset of " + test.observations);
            }
            return test;
        });
    }
}
