package io.streamprop.data;

import io.streamprop.serde.ParsedExample;
import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A dataset read one example at a time: a file (CSV, JSON lines, IDX) or a generator. A record
 * that cannot be read is not returned: it is described to the caller's {@link Skipped} consumer
 * and the source moves on, so one bad line never ends a run.
 */
public interface ExampleSource extends Closeable {
    /** The size of a source whose size is not known in advance. */
    long UNKNOWN_SIZE = -1;

    /**
     * The next example, or null when the source is exhausted.
     *
     * @param skipped told about each bad record passed over on the way
     * @throws IOException when the underlying file cannot be read at all
     */
    ParsedExample next(Consumer<Skipped> skipped) throws IOException;

    /** How many records the source holds (bad ones included), or {@link #UNKNOWN_SIZE}. */
    default long size() {
        return UNKNOWN_SIZE;
    }

    /** What the source reads, for messages: a file name, or a generator and its settings. */
    String description();

    @Override
    default void close() throws IOException {
    }
}
