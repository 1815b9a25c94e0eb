package io.streamprop.data;

import java.util.SplittableRandom;

/**
 * A seeded stream of points on interleaved spiral arms whose concept drifts, for watching an
 * online learner keep up. Two kinds of drift act together:
 * <ul>
 *   <li>gradual: the whole picture turns about the centre, one full turn every
 *       {@code rotationPeriod} examples;</li>
 *   <li>abrupt: every {@code shiftEvery} examples each class moves to the next arm, so every
 *       point's label changes at once and what was learned is briefly wrong.</li>
 * </ul>
 * Example n (counted from 0) of class c at radius r lies at angle
 * {@code 2 pi (turns r + (c + floor(n / shiftEvery)) / classes + n / rotationPeriod)}, plus noise.
 * A period of 0 turns that kind of drift off.
 */
public final class DriftingSpiralStream implements ExampleGenerator {
    private final int classes;
    private final double turns;
    private final double noise;
    private final long rotationPeriod;
    private final long shiftEvery;
    private final SplittableRandom random;
    private long n;

    /**
     * @param classes arms, one per class (at least 2)
     * @param turns turns each arm makes from the centre to radius 1 (more is harder)
     * @param noise standard deviation of the angular noise, in radians (about)
     * @param rotationPeriod examples per full turn of the picture; 0 for none
     * @param shiftEvery examples between two moves of the classes to the next arm; 0 for none
     * @param seed seed of the stream
     */
    public DriftingSpiralStream(int classes, double turns, double noise, long rotationPeriod, long shiftEvery,
                                long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("a spiral stream needs at least 2 classes, got " + classes);
        }
        if (!(turns >= 0) || !(noise >= 0) || rotationPeriod < 0 || shiftEvery < 0) {
            throw new IllegalArgumentException("turns, noise and periods must be >= 0, got turns " + turns
                    + ", noise " + noise + ", rotationPeriod " + rotationPeriod + ", shiftEvery " + shiftEvery);
        }
        this.classes = classes;
        this.turns = turns;
        this.noise = noise;
        this.rotationPeriod = rotationPeriod;
        this.shiftEvery = shiftEvery;
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

    /** The arm that class {@code label} lies on at example {@code index}. */
    public int armOf(int label, long index) {
        long shifts = shiftEvery == 0 ? 0 : index / shiftEvery;
        return (int) ((label + shifts) % classes);
    }

    @Override
    public int next(double[] x) {
        int label = random.nextInt(classes);
        double r = random.nextDouble(0.02, 1.0);
        // a sum of three uniforms: bell-shaped, mean 0, standard deviation 0.5
        double wobble = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
        double rotation = rotationPeriod == 0 ? 0 : (double) (n % rotationPeriod) / rotationPeriod;
        double angle = 2.0 * Math.PI * (turns * r + (double) armOf(label, n) / classes + rotation)
                + 2.0 * noise * wobble;
        x[0] = r * Math.cos(angle);
        x[1] = r * Math.sin(angle);
        n++;
        return label;
    }

    @Override
    public String description() {
        return String.format("%d drifting spirals (%.2f turns, noise %.2f, a full rotation every %,d examples,"
                + " classes move to the next arm every %,d examples)", classes, turns, noise, rotationPeriod,
                shiftEvery);
    }
}
