package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the analytic gradients of every weight and bias with central finite differences of
 * the objective, for each hidden activation and each loss with its allowed outputs.
 */
class GradientCheckTest {
    /** Finite-difference step. */
    private static final double H = 1e-4;
    /** Largest relative error |analytic - numeric| / max(|analytic|, |numeric|, FLOOR). */
    private static final double TOLERANCE = 1e-6;
    /**
     * Denominator floor: a gradient smaller than this is held to an absolute error of
     * TOLERANCE * FLOOR = 1e-11, just above the rounding noise of the differences (about
     * 1e-16 * |objective| / H).
     */
    private static final double FLOOR = 1e-5;

    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        Activation[] hidden = {Activation.IDENTITY, Activation.SIGMOID, Activation.TANH,
            Activation.RELU, Activation.LEAKY_RELU};
        for (Activation h : hidden) {
            cases.add(Arguments.of(h, Activation.IDENTITY, Loss.MSE, 3));
            cases.add(Arguments.of(h, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 3));
            cases.add(Arguments.of(h, Activation.SOFTMAX, Loss.CATEGORICAL_CROSS_ENTROPY, 4));
        }
        for (Activation out : new Activation[] {Activation.SIGMOID, Activation.TANH,
            Activation.RELU, Activation.LEAKY_RELU}) {
            cases.add(Arguments.of(Activation.TANH, out, Loss.MSE, 3));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "hidden {0}, output {1}, loss {2}")
    @MethodSource("networks")
    void shouldMatchFiniteDifferences(Activation hidden, Activation output, Loss loss, int outputs) {
        NetworkSpec spec = NetworkSpec.builder(5, 7, 6, outputs)
                .hiddenActivation(hidden).outputActivation(output).loss(loss)
                .batchSize(8).l2(0.01).leakySlope(0.1).seed(hidden.ordinal() * 31L + loss.ordinal())
                .standardize(true).build();
        Model model = Model.create(spec);
        SplittableRandom random = new SplittableRandom(17 + hidden.ordinal());
        MiniBatch batch = randomBatch(spec, random);
        // give the scaler statistics, so standardisation is part of what is checked
        model.scaler().update(batch.featureData(), 0);
        model.scaler().update(batch.featureData(), spec.inputs());
        model.scaler().update(batch.featureData(), 2 * spec.inputs());
        model.scaler().refreshScale();
        // biases start at zero; move them so their gradients are exercised off the symmetric point
        for (int l = 0; l < model.depth(); l++) {
            double[] b = model.layer(l).bias.data;
            for (int j = 0; j < b.length; j++) {
                b[j] = random.nextDouble(-0.5, 0.5);
            }
        }

        model.computeGradients(batch);
        Worst worst = new Worst();
        for (int l = 0; l < model.depth(); l++) {
            DenseLayer layer = model.layer(l);
            DMatrixRMaj weightGrad = layer.weightGrad.copy();
            DMatrixRMaj biasGrad = layer.biasGrad.copy();
            compare(model, batch, "layer " + l + " weight", layer.weights.data, weightGrad.data, worst);
            compare(model, batch, "layer " + l + " bias", layer.bias.data, biasGrad.data, worst);
        }
        assertTrue(worst.error < TOLERANCE, "largest relative gradient error " + worst);
    }

    /** The largest error seen so far and where. */
    private static final class Worst {
        double error;
        String where = "none";

        @Override
        public String toString() {
            return error + " at " + where;
        }
    }

    private static void compare(Model model, MiniBatch batch, String name, double[] params,
                                double[] analytic, Worst worst) {
        for (int i = 0; i < params.length; i++) {
            double saved = params[i];
            double plus1 = objectiveAt(model, batch, params, i, saved + H);
            double minus1 = objectiveAt(model, batch, params, i, saved - H);
            double plus2 = objectiveAt(model, batch, params, i, saved + 2 * H);
            double minus2 = objectiveAt(model, batch, params, i, saved - 2 * H);
            params[i] = saved;
            // five-point central difference, truncation error O(h^4)
            double numeric = (8 * (plus1 - minus1) - (plus2 - minus2)) / (12 * H);
            double denom = Math.max(FLOOR, Math.max(Math.abs(analytic[i]), Math.abs(numeric)));
            double error = Math.abs(analytic[i] - numeric) / denom;
            if (error > worst.error) {
                worst.error = error;
                worst.where = name + " " + i + ": analytic " + analytic[i] + ", numeric " + numeric;
            }
        }
    }

    private static double objectiveAt(Model model, MiniBatch batch, double[] params, int i,
                                      double value) {
        params[i] = value;
        return model.objective(batch);
    }

    private static MiniBatch randomBatch(NetworkSpec spec, SplittableRandom random) {
        MiniBatch batch = MiniBatch.forSpec(spec);
        for (int r = 0; r < spec.batchSize(); r++) {
            double[] x = new double[spec.inputs()];
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextDouble(-2, 2) + j;
            }
            double[] t = new double[spec.outputs()];
            switch (spec.loss()) {
                case CATEGORICAL_CROSS_ENTROPY:
                    t[random.nextInt(t.length)] = 1.0;
                    break;
                case BINARY_CROSS_ENTROPY:
                    for (int k = 0; k < t.length; k++) {
                        t[k] = random.nextInt(2);
                    }
                    break;
                default:
                    for (int k = 0; k < t.length; k++) {
                        t[k] = random.nextDouble(-1, 1);
                    }
            }
            batch.add(x, t);
        }
        return batch;
    }
}
