package io.streamprop.topology;

import io.streamprop.nn.Loss;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.serde.BadRecordException;
import io.streamprop.serde.ParsedExample;
import io.streamprop.serde.Rejection;

/**
 * Turns a label as written into the target vector that a model trains on:
 * <ul>
 *   <li>softmax with cross-entropy: a class index in [0, classes), or an array of class
 *       probabilities that sums to one;</li>
 *   <li>sigmoid with binary cross-entropy: a number in [0, 1] for one output, an array of
 *       such numbers for several;</li>
 *   <li>mean squared error: a number for one output, an array for several.</li>
 * </ul>
 */
final class LabelEncoder {
    private static final double SUM_TOLERANCE = 1e-6;

    private LabelEncoder() {
    }

    static void encode(ParsedExample.Label label, NetworkSpec spec, double[] target) throws BadRecordException {
        int outputs = spec.outputs();
        Loss loss = spec.loss();
        if (label.isArray()) {
            double[] values = label.values();
            if (values.length != outputs) {
                throw new BadRecordException(Rejection.LABEL_OUT_OF_RANGE, "label has " + values.length
                        + " values, the model has " + outputs + " outputs");
            }
            System.arraycopy(values, 0, target, 0, outputs);
            if (loss != Loss.MSE) {
                checkProbabilities(values, loss == Loss.CATEGORICAL_CROSS_ENTROPY);
            }
            return;
        }
        double v = label.scalar();
        if (loss == Loss.CATEGORICAL_CROSS_ENTROPY) {
            if (v != Math.rint(v) || v < 0 || v >= outputs) {
                throw new BadRecordException(Rejection.LABEL_OUT_OF_RANGE, "label " + format(v)
                        + " is not a class of this model: expected an integer from 0 to " + (outputs - 1));
            }
            java.util.Arrays.fill(target, 0.0);
            target[(int) v] = 1.0;
            return;
        }
        if (outputs != 1) {
            throw new BadRecordException(Rejection.LABEL_OUT_OF_RANGE, "label is a single number, the"
                    + " model has " + outputs + " outputs: expected an array of " + outputs + " numbers");
        }
        if (loss == Loss.BINARY_CROSS_ENTROPY && (v < 0 || v > 1)) {
            throw new BadRecordException(Rejection.LABEL_OUT_OF_RANGE, "label " + format(v)
                    + " is outside [0, 1], as binary cross-entropy requires");
        }
        target[0] = v;
    }

    private static void checkProbabilities(double[] values, boolean mustSumToOne) throws BadRecordException {
        double sum = 0;
        for (double v : values) {
            if (v < 0 || v > 1) {
                throw new BadRecordException(Rejection.LABEL_OUT_OF_RANGE, "label value " + format(v)
                        + " is outside [0, 1]");
            }
            sum += v;
        }
        if (mustSumToOne && Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new BadRecordException(Rejection.LABEL_OUT_OF_RANGE, "label probabilities sum to "
                    + sum + ", expected 1");
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
