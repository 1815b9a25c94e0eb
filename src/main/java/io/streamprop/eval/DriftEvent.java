package io.streamprop.eval;

/**
 * A change detected in a monitored stream of values.
 *
 * @param observation  the 1-based index, over the detector's whole life, of the value that raised it
 * @param sinceReset   how many values the test had taken in since it started or last fired
 * @param statistic    the test statistic when it fired (for Page-Hinkley, PH = m_T - M_T)
 * @param threshold    the threshold it crossed
 * @param mean         the mean of the values since the start or the last alarm, the new one included
 */
public record DriftEvent(long observation, long sinceReset, double statistic, double threshold, double mean) {
}
