package io.streamprop.data;

/**
 * A record of a dataset that was passed over.
 *
 * @param location where it is, such as {@code data.csv line 17}
 * @param reason a short code to count by, such as {@code not_numeric}
 * @param message what was wrong, naming the value and what was expected
 */
public record Skipped(String location, String reason, String message) {
    @Override
    public String toString() {
        return location + ": " + message + " (" + reason + ")";
    }
}
