package io.streamprop.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassifierEvaluationTest {
    private static final double TOLERANCE = 1e-12;

    /**
     * Labels 2, 0, 0, 2, 2, 1 among 3 classes, worked by hand. Majority class predicts 0, 2, 0, 0,
     * 0, 2 (lowest index among ties) and gives the true class (n_c + 1) / (n + 3): 1/3, 1/4, 2/5,
     * 1/3, 3/7, 1/8. No-change predicts 0, 2, 0, 0, 2, 2 and gives the last label
     * r = (repeats + 1) / (transitions + 2), every other class (1 - r) / 2: 1/3 (no label yet),
     * 1/4, 1/3, 1/4, 2/5, 1/4.
     */
    @Test
    void shouldScoreTheBaselinesAsWorkedByHand() {
        ClassifierEvaluation evaluation = new ClassifierEvaluation(EvaluationSettings.DEFAULTS, 3);
        for (int label : new int[] {2, 0, 0, 2, 2, 1}) {
            evaluation.record(new double[] {0.2, 0.3, 0.5}, label);
        }

        ClassifierWindow majority = evaluation.majorityClass().cumulative();
        assertEquals(1.0 / 6, majority.accuracy(), TOLERANCE);
        assertEquals(meanLogLoss(1.0 / 3, 1.0 / 4, 2.0 / 5, 1.0 / 3, 3.0 / 7, 1.0 / 8), majority.logLoss(), TOLERANCE);
        ClassifierWindow noChange = evaluation.noChange().cumulative();
        assertEquals(2.0 / 6, noChange.accuracy(), TOLERANCE);
        assertEquals(meanLogLoss(1.0 / 3, 1.0 / 4, 1.0 / 3, 1.0 / 4, 2.0 / 5, 1.0 / 4), noChange.logLoss(), TOLERANCE);
        ClassifierWindow model = evaluation.model().cumulative();
        assertEquals(3.0 / 6, model.accuracy(), TOLERANCE);
        assertEquals(meanLogLoss(0.5, 0.2, 0.2, 0.5, 0.5, 0.3), model.logLoss(), TOLERANCE);
        assertEquals(6, evaluation.examples());
    }

    @Test
    void shouldGrowTheClassesWhenANewOneAppears() {
        ClassifierEvaluation evaluation = new ClassifierEvaluation(EvaluationSettings.DEFAULTS, 2);
        evaluation.record(0, 0.9, 0);
        evaluation.record(4, 0.1, 3);

        assertEquals(5, evaluation.classes());
        // majority class: class 0 of 2 before any label, (0 + 1) / (0 + 2); then class 3 of 5
        // after one label, (0 + 1) / (1 + 5)
        assertEquals((Math.log(2) + Math.log(6)) / 2, evaluation.majorityClass().cumulative().logLoss(), TOLERANCE);
    }

    @Test
    void shouldScoreABinaryClassifierFromItsOneOutput() {
        ClassifierEvaluation evaluation = new ClassifierEvaluation(EvaluationSettings.DEFAULTS, 2);
        evaluation.recordBinary(0.8, 1);
        evaluation.recordBinary(0.5, 0);
        evaluation.recordBinary(0.1, 0);

        // predicted 1, 1, 0; probabilities of the true class 0.8, 0.5, 0.9
        assertEquals(2.0 / 3, evaluation.model().cumulative().accuracy(), TOLERANCE);
        assertEquals(meanLogLoss(0.8, 0.5, 0.9), evaluation.model().cumulative().logLoss(), TOLERANCE);
        assertThrows(IllegalArgumentException.class, () -> evaluation.recordBinary(0.5, 2));
    }

    @Test
    void shouldContinueExactlyAfterARoundTrip() {
        ClassifierEvaluation original = new ClassifierEvaluation(new EvaluationSettings(64, 0.95), 3);
        feed(original, 700, 1);

        byte[] bytes = original.toBytes();
        ClassifierEvaluation decoded = ClassifierEvaluation.fromBytes(bytes);
        assertArrayEquals(bytes, decoded.toBytes());

        feed(original, 700, 2);
        feed(decoded, 700, 2);
        assertArrayEquals(original.toBytes(), decoded.toBytes());
        for (WindowKind kind : WindowKind.values()) {
            assertEquals(original.model().window(kind).scores(), decoded.model().window(kind).scores());
            assertEquals(original.noChange().window(kind).scores(), decoded.noChange().window(kind).scores());
        }
    }

    @Test
    void shouldRefuseEveryTruncationAndFlippedByte() {
        ClassifierEvaluation evaluation = new ClassifierEvaluation(new EvaluationSettings(4, 0.9), 2);
        feed(evaluation, 6, 3);
        byte[] bytes = evaluation.toBytes();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(CorruptStateException.class, () -> ClassifierEvaluation.fromBytes(cut), "length " + length);
        }
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x10;
            assertThrows(CorruptStateException.class, () -> ClassifierEvaluation.fromBytes(bad), "byte " + i);
        }
    }

    @Test
    void shouldRefuseAnotherKindOfState() {
        byte[] detector = new PageHinkley(PageHinkleySettings.DEFAULTS).toBytes();
        CorruptStateException e = assertThrows(CorruptStateException.class,
                () -> ClassifierEvaluation.fromBytes(detector));
        assertTrue(e.getMessage().contains("kind 3"), e.getMessage());
        assertThrows(CorruptStateException.class, () -> RegressionEvaluation.fromBytes(
                new ClassifierEvaluation(EvaluationSettings.DEFAULTS, 2).toBytes()));
    }

    /** Labels in runs, and a model right 70% of the time. */
    private static void feed(ClassifierEvaluation evaluation, int examples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int label = 0;
        double[] probabilities = new double[3];
        for (int i = 0; i < examples; i++) {
            if (random.nextDouble() < 0.2) {
                label = random.nextInt(3);
            }
            int predicted = random.nextDouble() < 0.7 ? label : random.nextInt(3);
            Arrays.fill(probabilities, 0.2);
            probabilities[predicted] = 0.6;
            evaluation.record(probabilities, label);
        }
    }

    private static double meanLogLoss(double... probabilities) {
        double sum = 0;
        for (double p : probabilities) {
            sum += -Math.log(p);
        }
        return sum / probabilities.length;
    }
}
