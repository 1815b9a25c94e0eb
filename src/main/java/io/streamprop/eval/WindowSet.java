package io.streamprop.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One window of each {@link WindowKind} over the same scores, updated together and stored in
 * kind order: what {@link ClassifierMetrics} and {@link RegressionMetrics} keep.
 */
final class WindowSet<W extends WindowSet.Stored> {
    /** A window whose state is part of a model's stored evaluation. */
    interface Stored {
        void writeTo(StateWriter out);

        void readFrom(StateReader in);
    }

    /** Indexed by {@link WindowKind#ordinal()}. */
    private final List<W> windows;

    WindowSet(Function<WindowKind, W> create) {
        List<W> all = new ArrayList<>();
        for (WindowKind kind : WindowKind.values()) {
            all.add(create.apply(kind));
        }
        windows = List.copyOf(all);
    }

    W get(WindowKind kind) {
        return windows.get(kind.ordinal());
    }

    /** Every window, in kind order. */
    List<W> all() {
        return windows;
    }

    void writeTo(StateWriter out) {
        for (W w : windows) {
            w.writeTo(out);
        }
    }

    void readFrom(StateReader in) {
        for (W w : windows) {
            w.readFrom(in);
        }
    }
}
