package io.streamprop.nn;

import java.util.SplittableRandom;

/** Seeded synthetic datasets for the learning tests. */
final class Datasets {
    private Datasets() {
    }

    /** Labelled points: {@code x[i]} has label {@code y[i]} (a class index or a target value). */
    record Points(double[][] x, double[] y) {
        int size() {
            return x.length;
        }
    }

    /**
     * Interleaved spirals in the plane, one arm per class: point i of class c lies at radius
     * r = i / n and angle 4 r + 2 pi c / classes, plus Gaussian-like noise of the given size.
     */
    static Points spirals(int perClass, int classes, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = perClass * classes;
        double[][] x = new double[n][];
        double[] y = new double[n];
        int k = 0;
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                double r = (i + 1.0) / perClass;
                double angle = 4.0 * r + 2.0 * Math.PI * c / classes + noise * centred(random);
                x[k] = new double[] {r * Math.cos(angle), r * Math.sin(angle)};
                y[k] = c;
                k++;
            }
        }
        shuffle(x, y, random);
        return new Points(x, y);
    }

    /** y = sin(2 x1) + 0.5 x2^2 - x1 x2 on the square [-1.5, 1.5]^2. */
    static Points smoothRegression(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double a = random.nextDouble(-1.5, 1.5);
            double b = random.nextDouble(-1.5, 1.5);
            x[i] = new double[] {a, b};
            y[i] = Math.sin(2 * a) + 0.5 * b * b - a * b;
        }
        return new Points(x, y);
    }

    /** A sum of three uniforms, centred: roughly normal with standard deviation 0.5. */
    private static double centred(SplittableRandom random) {
        return random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
    }

    private static void shuffle(double[][] x, double[] y, SplittableRandom random) {
        for (int i = x.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double[] tx = x[i];
            x[i] = x[j];
            x[j] = tx;
            double ty = y[i];
            y[i] = y[j];
            y[j] = ty;
        }
    }
}
