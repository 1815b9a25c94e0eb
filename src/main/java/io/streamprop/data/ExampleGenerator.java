package io.streamprop.data;

/** An endless, seeded stream of labelled points for a classifier. */
public interface ExampleGenerator {
    /** Features per example. */
    int inputs();

    /** Classes of the labels, numbered from 0. */
    int classes();

    /** Writes the next example's features into {@code x} and returns its class. */
    int next(double[] x);

    /** The generator and its settings, for messages. */
    String description();
}
