package io.streamprop.data;

import java.util.List;

/** The built-in generators, by the names the command-line tool knows them by. */
public final class Generators {
    /** Three interleaved spirals that never change: {@link SpiralStream}. */
    public static final String SPIRALS = "spirals";
    /** Three spirals that turn slowly and move their classes to the next arm now and then. */
    public static final String DRIFTING_SPIRALS = "drifting-spirals";

    /** Examples per full rotation of the demo's drifting spirals. */
    public static final long DRIFT_ROTATION_PERIOD = 60_000;
    /** Examples between two class moves of the demo's drifting spirals. */
    public static final long DRIFT_SHIFT_EVERY = 20_000;

    private static final List<String> NAMES = List.of(SPIRALS, DRIFTING_SPIRALS);

    private Generators() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** A generator by name; an unknown name is refused with the known ones. */
    public static ExampleGenerator create(String name, long seed) {
        switch (name) {
            case SPIRALS:
                return new SpiralStream(3, 0.15, seed);
            case DRIFTING_SPIRALS:
                return driftingSpirals(seed);
            default:
                throw new IllegalArgumentException("unknown generator '" + name + "'; known generators are "
                        + NAMES);
        }
    }

    /**
     * The demo's stream: three spiral arms of 0.75 turns, noise 0.15, a full rotation every
     * {@value #DRIFT_ROTATION_PERIOD} examples and a move of every class to the next arm every
     * {@value #DRIFT_SHIFT_EVERY}.
     */
    public static DriftingSpiralStream driftingSpirals(long seed) {
        return new DriftingSpiralStream(3, 0.75, 0.15, DRIFT_ROTATION_PERIOD, DRIFT_SHIFT_EVERY, seed);
    }
}
