package io.streamprop.nn;

import java.util.Locale;

/** How a layer's weights are drawn before training; biases always start at zero. */
public enum Initialization {
    /** Glorot for identity, sigmoid, tanh and softmax layers; He for ReLU and leaky ReLU layers. */
    AUTO,
    /** Uniform on [-r, r] with r = sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio, 2010). */
    GLOROT_UNIFORM,
    /** Uniform on [-r, r] with r = sqrt(6 / fanIn) (He et al., 2015). */
    HE_UNIFORM;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Half-width of the uniform range for a layer with this activation and these fans. */
    double range(Activation activation, int fanIn, int fanOut) {
        Initialization rule = this;
        if (rule == AUTO) {
            boolean rectifier = activation == Activation.RELU || activation == Activation.LEAKY_RELU;
            rule = rectifier ? HE_UNIFORM : GLOROT_UNIFORM;
        }
        return rule == HE_UNIFORM
                ? Math.sqrt(6.0 / fanIn)
                : Math.sqrt(6.0 / (fanIn + fanOut));
    }
}
