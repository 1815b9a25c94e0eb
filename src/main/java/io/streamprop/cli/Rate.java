package io.streamprop.cli;

/**
 * A limit on records per second, given as {@code 500} or {@code 500/s}; 0 means no limit.
 * {@link #await(long)} paces a sender so that record n leaves no earlier than n / rate seconds
 * after the start, which keeps the average rate exact without bursts after a pause.
 */
final class Rate {
    static final Rate UNLIMITED = new Rate(0);

    private final double perSecond;
    private long startNanos = -1;

    private Rate(double perSecond) {
        this.perSecond = perSecond;
    }

    static Rate parse(String option, String text) throws UsageException {
        String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        double value;
        try {
            value = Double.parseDouble(number.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + option + " expects records per second such as 500 or 500/s, got '"
                    + text + "'");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UsageException("--" + option + " must be >= 0 records per second (0: no limit), got " + text);
        }
        return new Rate(value);
    }

    boolean limited() {
        return perSecond > 0;
    }

    double perSecond() {
        return perSecond;
    }

    /** Waits until record {@code index} (from 0) may be sent. The first call starts the clock. */
    void await(long index) throws InterruptedException {
        if (!limited()) {
            return;
        }
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
        long due = startNanos + (long) (index * 1e9 / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    @Override
    public String toString() {
        return limited() ? String.format("%,.0f/s", perSecond) : "no limit";
    }
}
