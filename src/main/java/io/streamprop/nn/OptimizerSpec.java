package io.streamprop.nn;

/**
 * An update rule with its hyper-parameters. Fields that a rule does not use (the betas under
 * plain SGD, say) are kept, so a spec can switch rules without losing its settings.
 *
 * @param type the update rule
 * @param learningRate step size, positive
 * @param momentum velocity decay of {@link OptimizerType#MOMENTUM}, in [0, 1)
 * @param beta1 first-moment decay of Adam, in [0, 1)
 * @param beta2 second-moment decay of Adam, in [0, 1)
 * @param epsilon Adam's denominator guard, positive
 */
public record OptimizerSpec(OptimizerType type, double learningRate, double momentum,
                            double beta1, double beta2, double epsilon) {

    public static final double DEFAULT_LEARNING_RATE = 0.001;

    public OptimizerSpec {
        if (type == null) {
            throw new InvalidSpecException("optimizer.type", "expected one of sgd, momentum, adam");
        }
        requirePositive("optimizer.learningRate", learningRate);
        requireUnitInterval("optimizer.momentum", momentum);
        requireUnitInterval("optimizer.beta1", beta1);
        requireUnitInterval("optimizer.beta2", beta2);
        requirePositive("optimizer.epsilon", epsilon);
    }

    /** Adam with the usual defaults: learning rate 0.001, betas 0.9 and 0.999, epsilon 1e-8. */
    public static OptimizerSpec adam(double learningRate) {
        return new OptimizerSpec(OptimizerType.ADAM, learningRate, 0.9, 0.9, 0.999, 1e-8);
    }

    public static OptimizerSpec sgd(double learningRate) {
        return new OptimizerSpec(OptimizerType.SGD, learningRate, 0.9, 0.9, 0.999, 1e-8);
    }

    public static OptimizerSpec momentum(double learningRate, double momentum) {
        return new OptimizerSpec(OptimizerType.MOMENTUM, learningRate, momentum, 0.9, 0.999, 1e-8);
    }

    static void requirePositive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidSpecException(field, "expected a finite number > 0, got " + value);
        }
    }

    static void requireUnitInterval(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new InvalidSpecException(field, "expected a number in [0, 1), got " + value);
        }
    }
}
