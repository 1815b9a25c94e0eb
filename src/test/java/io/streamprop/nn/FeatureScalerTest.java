package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureScalerTest {
    private static final double TOLERANCE = 1e-9;

    @Test
    void shouldMatchTwoPassMeanAndVariance() {
        SplittableRandom random = new SplittableRandom(4);
        int n = 5000;
        double[] data = new double[n * 2];
        for (int i = 0; i < n; i++) {
            data[2 * i] = 1e6 + random.nextDouble();
            data[2 * i + 1] = -3 + 10 * random.nextDouble();
        }
        FeatureScaler scaler = new FeatureScaler(2);
        for (int i = 0; i < n; i++) {
            scaler.update(data, 2 * i);
        }
        scaler.refreshScale();

        for (int j = 0; j < 2; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += data[2 * i + j];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (data[2 * i + j] - mean) * (data[2 * i + j] - mean);
            }
            var /= n;
            assertEquals(mean, scaler.mean()[j], TOLERANCE * Math.abs(mean));
            assertEquals(var, scaler.m2()[j] / n, TOLERANCE * var);
        }
        double[] out = new double[2];
        scaler.transform(new double[] {scaler.mean()[0], scaler.mean()[1] + Math.sqrt(scaler.m2()[1] / n)},
                0, out, 0);
        assertEquals(0.0, out[0], TOLERANCE);
        assertEquals(1.0, out[1], TOLERANCE);
    }

    @Test
    void shouldCentreButNotScaleAConstantFeature() {
        FeatureScaler scaler = new FeatureScaler(1);
        for (int i = 0; i < 10; i++) {
            scaler.update(new double[] {7}, 0);
        }
        scaler.refreshScale();
        double[] out = new double[1];

        scaler.transform(new double[] {9}, 0, out, 0);

        assertEquals(2.0, out[0]);
    }
}
