package io.streamprop.cli;

import java.io.Closeable;
import java.io.IOException;

/**
 * What {@code streamprop eval} streams to its two models: labelled examples of a classification
 * task, the specs of a network and of logistic regression (the same inputs and outputs, no
 * hidden layer) for it, and optionally a test set sent as queries once the stream has passed.
 */
interface EvalStream {
    /** The {@code --stream} value that names it. */
    String optionName();

    /** What it is, for the first line of the output. */
    String description();

    int features();

    /** The number of classes; labels run from 0 to {@code classes() - 1}. */
    int classes();

    /** The examples of a run without {@code --examples}. */
    long defaultExamples();

    /** The most examples a run can have: the size of a dataset, or no limit for a generator. */
    default long maxExamples() {
        return Long.MAX_VALUE;
    }

    String networkSpec(long seed);

    String logisticSpec(long seed);

    /** The learner's {@code commit.interval.ms}, or null for Kafka Streams' default. */
    default Long commitIntervalMs() {
        return null;
    }

    /** A new stream of {@code examples} examples in all, seeded. */
    Examples training(long examples, long seed) throws IOException;

    /** The test examples, sent as queries after the training stream; null when there are none. */
    default Examples test() throws IOException {
        return null;
    }

    /** Examples one at a time; a generator's never end. */
    interface Examples extends Closeable {
        /** Writes the next example's features into its argument and returns its class; -1 after the last. */
        int next(double[] x) throws IOException;

        @Override
        default void close() throws IOException {
        }
    }
}
