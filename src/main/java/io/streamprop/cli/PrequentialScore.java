package io.streamprop.cli;

/**
 * Prequential (test-then-train) accuracy and loss of a stream of predictions: over the most
 * recent {@code window} predictions, and over all of them.
 */
final class PrequentialScore {
    private final boolean[] hits;
    private final double[] losses;
    private long count;
    private long hitsTotal;
    private double lossTotal;
    private int hitsInWindow;

    PrequentialScore(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        hits = new boolean[window];
        losses = new double[window];
    }

    void add(boolean hit, double loss) {
        int slot = (int) (count % hits.length);
        if (count >= hits.length) {
            hitsInWindow -= hits[slot] ? 1 : 0;
        }
        hits[slot] = hit;
        losses[slot] = loss;
        hitsInWindow += hit ? 1 : 0;
        count++;
        hitsTotal += hit ? 1 : 0;
        lossTotal += loss;
    }

    long count() {
        return count;
    }

    /** How many predictions the recent figures are over. */
    int windowCount() {
        return (int) Math.min(count, hits.length);
    }

    double recentAccuracy() {
        return count == 0 ? 0 : (double) hitsInWindow / windowCount();
    }

    /** Mean loss over the window, summed afresh (a running sum would drift by rounding). */
    double recentLoss() {
        if (count == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < windowCount(); i++) {
            sum += losses[i];
        }
        return sum / windowCount();
    }

    double accuracy() {
        return count == 0 ? 0 : (double) hitsTotal / count;
    }

    double loss() {
        return count == 0 ? 0 : lossTotal / count;
    }
}
