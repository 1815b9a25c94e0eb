package io.streamprop.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Examples waiting for a training step: one row of features and one row of targets per example,
 * in buffers allocated once for the spec's batch size. Adding copies the caller's arrays.
 *
 * <p>A batch made for a spec can also keep, per example, the forward pass that
 * {@link Model#predictAndAdd} computed when it predicted that example: each layer's activations
 * and the output layer's logits. When every example of the batch was added so, by the same model
 * with unchanged weights and feature statistics, {@link Model#step} takes these rows instead of
 * running the forward pass again; they are the same numbers, row for row.
 */
public final class MiniBatch {
    private final int capacity;
    private final int inputs;
    private final int outputs;
    private final DMatrixRMaj features;
    private final DMatrixRMaj targets;
    private int size;
    /** Per layer, the activations of each example as predicted; null when the batch keeps none. */
    private final DMatrixRMaj[] activations;
    /** The output layer's logits of each example as predicted; null when the batch keeps none. */
    private final DMatrixRMaj logits;
    /** The {@link Model#forwardStamp} under which the kept rows were computed. */
    private long forwardStamp;
    /** How many leading examples have their forward pass kept, all under {@link #forwardStamp}. */
    private int forwardRows;

    /** A batch that keeps no forward passes. */
    public MiniBatch(int capacity, int inputs, int outputs) {
        this(capacity, inputs, outputs, null);
    }

    private MiniBatch(int capacity, int inputs, int outputs, int[] layerWidths) {
        if (capacity < 1 || inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("capacity, inputs and outputs must be >= 1, got "
                    + capacity + ", " + inputs + ", " + outputs);
        }
        this.capacity = capacity;
        this.inputs = inputs;
        this.outputs = outputs;
        features = new DMatrixRMaj(capacity, inputs);
        targets = new DMatrixRMaj(capacity, outputs);
        if (layerWidths == null) {
            activations = null;
            logits = null;
        } else {
            activations = new DMatrixRMaj[layerWidths.length];
            for (int l = 0; l < layerWidths.length; l++) {
                activations[l] = new DMatrixRMaj(capacity, layerWidths[l]);
            }
            logits = new DMatrixRMaj(capacity, outputs);
        }
    }

    /**
     * An empty batch shaped for {@code spec}, with room for the forward pass of each example,
     * which {@link Model#predictAndAdd} fills.
     */
    public static MiniBatch forSpec(NetworkSpec spec) {
        int[] widths = new int[spec.depth()];
        for (int l = 0; l < widths.length; l++) {
            widths[l] = spec.layers().get(l + 1);
        }
        return new MiniBatch(spec.batchSize(), spec.inputs(), spec.outputs(), widths);
    }

    /** Appends an example whose target is a full output vector. */
    public void add(double[] x, double[] target) {
        checkRoom();
        checkLength("features", x.length, inputs);
        checkLength("target", target.length, outputs);
        System.arraycopy(x, 0, features.data, size * inputs, inputs);
        System.arraycopy(target, 0, targets.data, size * outputs, outputs);
        size++;
    }

    /** Appends an example of class {@code label}, stored as a one-hot target. */
    public void addClass(double[] x, int label) {
        checkRoom();
        checkLength("features", x.length, inputs);
        if (label < 0 || label >= outputs) {
            throw new IllegalArgumentException("class " + label + " is out of range: the model has "
                    + outputs + " classes (0.." + (outputs - 1) + ")");
        }
        System.arraycopy(x, 0, features.data, size * inputs, inputs);
        int row = size * outputs;
        java.util.Arrays.fill(targets.data, row, row + outputs, 0.0);
        targets.data[row + label] = 1.0;
        size++;
    }

    /** Copies example {@code index}'s features and target into arrays that must fit them. */
    public void copyExample(int index, double[] x, double[] target) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("example " + index + " of a batch of " + size);
        }
        checkLength("features", x.length, inputs);
        checkLength("target", target.length, outputs);
        System.arraycopy(features.data, index * inputs, x, 0, inputs);
        System.arraycopy(targets.data, index * outputs, target, 0, outputs);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        size = 0;
        forwardRows = 0;
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return outputs;
    }

    /** Row-major features of the examples held, {@code size() * inputs()} values in use. */
    double[] featureData() {
        return features.data;
    }

    /** Row-major targets of the examples held, {@code size() * outputs()} values in use. */
    DMatrixRMaj targets() {
        targets.reshape(size, outputs, true);
        return targets;
    }

    /**
     * Keeps, for the example just added (the last row), the forward pass that {@code layers}
     * hold in their first row, computed under {@code stamp}. Kept rows count only while every
     * row from the first was kept under the same stamp; a batch that keeps none ignores this.
     */
    void keepForward(DenseLayer[] layers, long stamp) {
        int row = size - 1;
        if (activations == null || activations.length != layers.length) {
            return;
        }
        if (row == 0) {
            forwardStamp = stamp;
        } else if (forwardRows != row || forwardStamp != stamp) {
            return;
        }
        for (int l = 0; l < layers.length; l++) {
            int width = layers[l].outputs;
            if (activations[l].numCols != width) {
                return;
            }
            System.arraycopy(layers[l].output.data, 0, activations[l].data, row * width, width);
        }
        DenseLayer last = layers[layers.length - 1];
        System.arraycopy(last.logits.data, 0, logits.data, row * outputs, outputs);
        forwardRows = row + 1;
    }

    /** Whether every example's forward pass is kept, all computed under {@code stamp}. */
    boolean keepsForwardOf(long stamp) {
        return size > 0 && forwardRows == size && forwardStamp == stamp;
    }

    /**
     * Copies the kept forward pass of every example into the layers' activations (and the output
     * layer's logits), as a forward pass over the whole batch would leave them.
     */
    void restoreForward(DenseLayer[] layers) {
        for (int l = 0; l < layers.length; l++) {
            DenseLayer layer = layers[l];
            layer.output.reshape(size, layer.outputs, false);
            System.arraycopy(activations[l].data, 0, layer.output.data, 0, size * layer.outputs);
        }
        DenseLayer last = layers[layers.length - 1];
        last.logits.reshape(size, outputs, false);
        System.arraycopy(logits.data, 0, last.logits.data, 0, size * outputs);
    }

    private void checkRoom() {
        if (size == capacity) {
            throw new IllegalStateException("mini-batch is full (" + capacity + " examples)");
        }
    }

    private static void checkLength(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has " + actual + " values, the model expects "
                    + expected);
        }
    }
}
