package io.streamprop.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Examples waiting for a training step: one row of features and one row of targets per example,
 * in buffers allocated once for the spec's batch size. Adding copies the caller's arrays.
 */
public final class MiniBatch {
    private final int capacity;
    private final int inputs;
    private final int outputs;
    private final DMatrixRMaj features;
    private final DMatrixRMaj targets;
    private int size;

    public MiniBatch(int capacity, int inputs, int outputs) {
        if (capacity < 1 || inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("capacity, inputs and outputs must be >= 1, got "
                    + capacity + ", " + inputs + ", " + outputs);
        }
        this.capacity = capacity;
        this.inputs = inputs;
        this.outputs = outputs;
        features = new DMatrixRMaj(capacity, inputs);
        targets = new DMatrixRMaj(capacity, outputs);
    }

    /** An empty batch shaped for {@code spec}. */
    public static MiniBatch forSpec(NetworkSpec spec) {
        return new MiniBatch(spec.batchSize(), spec.inputs(), spec.outputs());
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
