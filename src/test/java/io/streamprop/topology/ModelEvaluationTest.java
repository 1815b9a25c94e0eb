package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamprop.eval.CorruptStateException;
import io.streamprop.eval.EvaluationSettings;
import io.streamprop.eval.PageHinkleySettings;
import io.streamprop.nn.NetworkSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A model's evaluation as the learner stores it: its state, unscored predictions, spec changes. */
class ModelEvaluationTest {
    private static final EvaluationSettings SETTINGS = new EvaluationSettings(20, 0.9);
    private static final NetworkSpec SOFTMAX = NetworkSpec.builder(2, 3).multiClassifier().build();
    private static final NetworkSpec SIGMOID = NetworkSpec.builder(2, 1).binaryClassifier().build();
    private static final NetworkSpec LINEAR = NetworkSpec.builder(2, 2).build();

    @Test
    void shouldContinueAfterDecodingExactlyAsTheOriginal() {
        for (NetworkSpec spec : new NetworkSpec[] {SOFTMAX, SIGMOID, LINEAR}) {
            ModelEvaluation original = ModelEvaluation.start(spec, DriftSpec.DEFAULTS, SETTINGS);
            feed(original, spec, 50, 1);

            ModelEvaluation decoded = ModelEvaluation.fromBytes(original.toBytes());
            feed(original, spec, 30, 2);
            feed(decoded, spec, 30, 2);

            assertArrayEquals(original.toBytes(), decoded.toBytes(), spec.toString());
            assertEquals(80, decoded.examples());
            assertEquals(ModelEvaluation.Task.of(spec), decoded.task());
        }
    }

    @Test
    void shouldSkipPredictionsThatAreNotFinite() {
        ModelEvaluation evaluation = ModelEvaluation.start(SOFTMAX, DriftSpec.DEFAULTS, SETTINGS);

        evaluation.record(new double[] {0.2, 0.3, 0.5}, new double[] {0, 0, 1}, Double.POSITIVE_INFINITY);
        evaluation.record(new double[] {Double.NaN, 0.5, 0.5}, new double[] {0, 0, 1}, 0.7);
        evaluation.record(new double[] {0.2, 0.3, 0.5}, new double[] {0, 0, 1}, 0.7);

        assertEquals(2, evaluation.unscored());
        assertEquals(1, evaluation.examples());
        assertEquals(1, evaluation.detector().observations());
    }

    @Test
    void shouldKeepScoresAcrossASpecChangeAndRestartOnlyWhatChanged() {
        ModelEvaluation evaluation = ModelEvaluation.start(SIGMOID, DriftSpec.DEFAULTS, SETTINGS);
        feed(evaluation, SIGMOID, 10, 3);

        DriftSpec reaction = new DriftSpec(DriftReaction.RESET_MODEL, DriftSpec.DEFAULT_DETECTOR, 10, 100);
        ModelEvaluation same = evaluation.adopt(SIGMOID, reaction, SETTINGS);
        assertSame(evaluation, same);
        assertEquals(10, same.detector().observations(), "the same detector runs on");
        assertEquals(DriftReaction.RESET_MODEL, same.drift().reaction());

        DriftSpec detector = new DriftSpec(DriftReaction.NONE, new PageHinkleySettings(0.1, 20, 5, 1.0), 10, 100);
        same.adopt(SIGMOID, detector, SETTINGS);
        assertEquals(0, same.detector().observations(), "a detector with new parameters starts afresh");
        assertEquals(10, same.examples(), "the scores stay");

        ModelEvaluation regression = same.adopt(NetworkSpec.builder(2, 1).build(), detector, SETTINGS);
        assertNotSame(same, regression);
        assertEquals(ModelEvaluation.Task.REGRESSION, regression.task());
        assertEquals(0, regression.examples(), "outputs read another way: a new evaluation");
    }

    @Test
    void shouldRefuseDamagedState() {
        byte[] bytes = ModelEvaluation.start(SOFTMAX, DriftSpec.DEFAULTS, SETTINGS).toBytes();
        for (int i = 0; i < bytes.length; i += 7) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x10;
            assertThrows(CorruptStateException.class, () -> ModelEvaluation.fromBytes(bad), "byte " + i);
        }
        assertThrows(CorruptStateException.class, () -> ModelEvaluation.fromBytes(new byte[10]));
        assertThrows(CorruptStateException.class, () -> ModelEvaluation.fromBytes(null));
    }

    /** Random predictions and targets of the spec's kind, with their loss. */
    private static void feed(ModelEvaluation evaluation, NetworkSpec spec, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int outputs = spec.outputs();
        for (int i = 0; i < n; i++) {
            double[] output = new double[outputs];
            double[] target = new double[outputs];
            double sum = 0;
            for (int k = 0; k < outputs; k++) {
                output[k] = random.nextDouble(0.01, 1);
                sum += output[k];
            }
            for (int k = 0; k < outputs && outputs > 1 && ModelEvaluation.Task.of(spec).isClassifier(); k++) {
                output[k] /= sum;
            }
            if (ModelEvaluation.Task.of(spec) == ModelEvaluation.Task.REGRESSION) {
                for (int k = 0; k < outputs; k++) {
                    target[k] = random.nextDouble(-1, 1);
                }
            } else {
                target[outputs == 1 ? 0 : random.nextInt(outputs)] = outputs == 1 ? random.nextInt(2) : 1;
            }
            evaluation.record(output, target, random.nextDouble(0, 2));
        }
    }
}
