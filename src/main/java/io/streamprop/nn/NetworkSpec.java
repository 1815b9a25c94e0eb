package io.streamprop.nn;

import java.util.List;

/**
 * Everything that defines a network and how it learns. A spec is a plain immutable value: it
 * checks itself on construction, so an instance is always usable, and it converts to and from
 * JSON with {@link #toJson()} and {@link #fromJson(String)}.
 *
 * @param layers layer sizes, inputs first and outputs last; at least two, each at least one
 * @param hiddenActivation activation of every hidden layer (not softmax)
 * @param outputActivation activation of the output layer
 * @param loss training loss; must suit the output activation
 * @param optimizer update rule and its hyper-parameters
 * @param batchSize examples per training step
 * @param l2 weight decay: the loss gains (l2 / 2) * sum of squared weights (biases excluded)
 * @param clipNorm largest global gradient norm before the update; 0 turns clipping off
 * @param init weight initialisation
 * @param seed seed of the generator that draws the initial weights
 * @param standardize whether inputs are standardised by running mean and variance
 * @param leakySlope slope of leaky ReLU below zero
 */
public record NetworkSpec(List<Integer> layers, Activation hiddenActivation,
                          Activation outputActivation, Loss loss, OptimizerSpec optimizer,
                          int batchSize, double l2, double clipNorm, Initialization init,
                          long seed, boolean standardize, double leakySlope) {

    /** Largest number of units in one layer; bigger layers are refused as a likely mistake. */
    public static final int MAX_LAYER_SIZE = 1 << 20;

    public NetworkSpec {
        layers = checkLayers(layers);
        if (hiddenActivation == null || hiddenActivation == Activation.SOFTMAX) {
            throw new InvalidSpecException("hiddenActivation",
                    "expected one of identity, sigmoid, tanh, relu, leaky_relu, got "
                            + name(hiddenActivation));
        }
        if (outputActivation == null) {
            throw new InvalidSpecException("outputActivation", "expected an activation, got null");
        }
        if (loss == null) {
            throw new InvalidSpecException("loss",
                    "expected one of mse, binary_cross_entropy, categorical_cross_entropy");
        }
        checkLossFitsOutput(loss, outputActivation, layers.get(layers.size() - 1));
        if (optimizer == null) {
            throw new InvalidSpecException("optimizer", "expected an optimizer, got null");
        }
        if (batchSize < 1) {
            throw new InvalidSpecException("batchSize", "expected an integer >= 1, got " + batchSize);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new InvalidSpecException("l2", "expected a finite number >= 0, got " + l2);
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new InvalidSpecException("clipNorm",
                    "expected a finite number >= 0 (0 turns clipping off), got " + clipNorm);
        }
        if (init == null) {
            throw new InvalidSpecException("init", "expected one of auto, glorot_uniform, he_uniform");
        }
        if (!(leakySlope > 0 && leakySlope < 1)) {
            throw new InvalidSpecException("leakySlope", "expected a number in (0, 1), got " + leakySlope);
        }
    }

    /** Starts a spec with defaults for everything but the layer sizes. */
    public static Builder builder(int... layers) {
        return new Builder(layers);
    }

    /** Reads a spec from JSON; unknown fields and invalid values raise {@link InvalidSpecException}. */
    public static NetworkSpec fromJson(String json) {
        return SpecJson.read(json);
    }

    /** Reads a spec from an already parsed JSON object, as strictly as {@link #fromJson(String)}. */
    public static NetworkSpec fromJson(com.fasterxml.jackson.databind.JsonNode json) {
        return SpecJson.fromTree(json);
    }

    /** This spec as a JSON object, to embed in a larger document. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJsonTree() {
        return SpecJson.toTree(this);
    }

    /** The names of the fields a spec's JSON may hold. */
    public static java.util.Set<String> jsonFields() {
        return SpecJson.FIELDS;
    }

    /** This spec as compact JSON with every field written out. */
    public String toJson() {
        return SpecJson.write(this);
    }

    /** A builder holding this spec's values, for deriving a changed spec. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public int inputs() {
        return layers.get(0);
    }

    public int outputs() {
        return layers.get(layers.size() - 1);
    }

    /** Number of weight layers, that is the number of layer sizes minus one. */
    public int depth() {
        return layers.size() - 1;
    }

    /** Total number of trainable weights and biases. */
    public long parameterCount() {
        long count = 0;
        for (int l = 1; l < layers.size(); l++) {
            count += (long) layers.get(l - 1) * layers.get(l) + layers.get(l);
        }
        return count;
    }

    /** The activation of weight layer {@code l}, counted from 0. */
    public Activation activationOf(int l) {
        return l == depth() - 1 ? outputActivation : hiddenActivation;
    }

    /** Whether {@code other} has the same layer sizes, so its weights fit this spec. */
    public boolean sameShapeAs(NetworkSpec other) {
        return layers.equals(other.layers);
    }

    private static List<Integer> checkLayers(List<Integer> layers) {
        if (layers == null || layers.size() < 2) {
            throw new InvalidSpecException("layers",
                    "expected at least two sizes (inputs and outputs), got "
                            + (layers == null ? "none" : layers.size()));
        }
        for (int i = 0; i < layers.size(); i++) {
            Integer size = layers.get(i);
            if (size == null || size < 1 || size > MAX_LAYER_SIZE) {
                throw new InvalidSpecException("layers[" + i + "]",
                        "expected a size between 1 and " + MAX_LAYER_SIZE + ", got " + size);
            }
        }
        return List.copyOf(layers);
    }

    private static void checkLossFitsOutput(Loss loss, Activation output, int outputs) {
        switch (loss) {
            case MSE:
                if (output == Activation.SOFTMAX) {
                    throw new InvalidSpecException("loss",
                            "mse cannot train a softmax output; use categorical_cross_entropy");
                }
                break;
            case BINARY_CROSS_ENTROPY:
                if (output != Activation.SIGMOID) {
                    throw new InvalidSpecException("outputActivation",
                            "binary_cross_entropy expects sigmoid, got " + output.jsonName());
                }
                break;
            case CATEGORICAL_CROSS_ENTROPY:
                if (output != Activation.SOFTMAX) {
                    throw new InvalidSpecException("outputActivation",
                            "categorical_cross_entropy expects softmax, got " + output.jsonName());
                }
                if (outputs < 2) {
                    throw new InvalidSpecException("layers",
                            "softmax needs at least 2 output units, got " + outputs);
                }
                break;
            default:
                throw new AssertionError(loss);
        }
    }

    private static String name(Activation a) {
        return a == null ? "null" : a.jsonName();
    }

    /** Collects spec values; {@link #build()} validates them. */
    public static final class Builder {
        private List<Integer> layers;
        private Activation hiddenActivation = Activation.RELU;
        private Activation outputActivation = Activation.IDENTITY;
        private Loss loss = Loss.MSE;
        private OptimizerSpec optimizer = OptimizerSpec.adam(OptimizerSpec.DEFAULT_LEARNING_RATE);
        private int batchSize = 32;
        private double l2;
        private double clipNorm;
        private Initialization init = Initialization.AUTO;
        private long seed = 1L;
        private boolean standardize;
        private double leakySlope = 0.01;

        private Builder(int... layers) {
            this.layers = layers == null ? null : java.util.Arrays.stream(layers).boxed().toList();
        }

        private Builder(NetworkSpec spec) {
            layers = spec.layers;
            hiddenActivation = spec.hiddenActivation;
            outputActivation = spec.outputActivation;
            loss = spec.loss;
            optimizer = spec.optimizer;
            batchSize = spec.batchSize;
            l2 = spec.l2;
            clipNorm = spec.clipNorm;
            init = spec.init;
            seed = spec.seed;
            standardize = spec.standardize;
            leakySlope = spec.leakySlope;
        }

        public Builder layers(List<Integer> value) {
            layers = value;
            return this;
        }

        public Builder hiddenActivation(Activation value) {
            hiddenActivation = value;
            return this;
        }

        public Builder outputActivation(Activation value) {
            outputActivation = value;
            return this;
        }

        public Builder loss(Loss value) {
            loss = value;
            return this;
        }

        public Builder optimizer(OptimizerSpec value) {
            optimizer = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder l2(double value) {
            l2 = value;
            return this;
        }

        public Builder clipNorm(double value) {
            clipNorm = value;
            return this;
        }

        public Builder init(Initialization value) {
            init = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder standardize(boolean value) {
            standardize = value;
            return this;
        }

        public Builder leakySlope(double value) {
            leakySlope = value;
            return this;
        }

        /** A binary or multi-label classifier: sigmoid outputs with binary cross-entropy. */
        public Builder binaryClassifier() {
            return outputActivation(Activation.SIGMOID).loss(Loss.BINARY_CROSS_ENTROPY);
        }

        /** A multi-class classifier: softmax outputs with categorical cross-entropy. */
        public Builder multiClassifier() {
            return outputActivation(Activation.SOFTMAX).loss(Loss.CATEGORICAL_CROSS_ENTROPY);
        }

        public NetworkSpec build() {
            return new NetworkSpec(layers, hiddenActivation, outputActivation, loss, optimizer,
                    batchSize, l2, clipNorm, init, seed, standardize, leakySlope);
        }
    }
}
