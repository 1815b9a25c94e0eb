package io.streamprop.data;

import java.util.SplittableRandom;

/**
 * An endless, seeded stream of points on interleaved spiral arms, one arm per class: a point of
 * class c at radius r in (0, 1] lies at angle 2 pi (1.5 r + c / classes), plus noise.
 */
public final class SpiralStream implements ExampleGenerator {
    /** How many turns each arm makes from the centre to radius 1. */
    private static final double TURNS = 1.5;

    private final int classes;
    private final double noise;
    private final SplittableRandom random;

    public SpiralStream(int classes, double noise, long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("a spiral stream needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.noise = noise;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int inputs() {
        return 2;
    }

    @Override
    public int classes() {
        return classes;
    }

    /** Writes the next point's two coordinates into {@code x} and returns its class. */
    @Override
    public int next(double[] x) {
        int label = random.nextInt(classes);
        double r = random.nextDouble(0.02, 1.0);
        double wobble = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
        double angle = TURNS * 2.0 * Math.PI * r + 2.0 * Math.PI * label / classes + noise * wobble;
        x[0] = r * Math.cos(angle);
        x[1] = r * Math.sin(angle);
        return label;
    }

    @Override
    public String description() {
        return String.format("%d interleaved spirals (%.1f turns, noise %.2f)", classes, TURNS, noise);
    }
}
