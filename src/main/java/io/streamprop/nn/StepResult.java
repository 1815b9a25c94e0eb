package io.streamprop.nn;

/**
 * What one training step did.
 *
 * @param applied whether the weights were updated
 * @param examples examples in the mini-batch
 * @param loss mean data loss of the batch under the weights before the step (without weight decay)
 * @param gradientNorm global norm of the gradient before clipping
 * @param rejection why the step was not applied; null when it was
 */
public record StepResult(boolean applied, int examples, double loss, double gradientNorm,
                         String rejection) {

    static StepResult applied(int examples, double loss, double gradientNorm) {
        return new StepResult(true, examples, loss, gradientNorm, null);
    }

    static StepResult rejected(int examples, double loss, double gradientNorm, String why) {
        return new StepResult(false, examples, loss, gradientNorm, why);
    }
}
