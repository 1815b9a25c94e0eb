package io.streamprop.cli;

import io.streamprop.data.RandomRbfStream;
import io.streamprop.data.RotatingHyperplaneStream;
import io.streamprop.data.SeaStream;
import java.util.Locale;

/**
 * The synthetic streams of {@code streamprop eval}, each with its generator's settings and the
 * specs of the two models it is evaluated with: a network, and logistic regression (the same
 * inputs and output with no hidden layer). Both specs were tuned on the stream itself; the
 * README's evaluation section says how.
 */
enum EvalDataset implements EvalStream {
    /** SEA concepts: four abrupt changes of concept over the run, 10% label noise. */
    SEA(3, "SEA concepts (3 features, a new concept every quarter of the run, 10% label noise)",
            "[3, 16, 16, 1]", "tanh", 0.003, 8, 0.003, 1) {
        @Override
        public Examples training(long examples, long seed) {
            return new SeaStream(Math.max(1, examples / 4), 0.1, seed)::next;
        }
    },
    /** The rotating hyperplane in MOA's form: 10 features, 2 of them drifting, 5% noise. */
    HYPERPLANE(10, "rotating hyperplane (10 features, 2 drifting by 0.001 per example, 5% label noise)",
            "[10, 16, 16, 1]", "tanh", 0.003, 8, 0.003, 1) {
        @Override
        public Examples training(long examples, long seed) {
            return new RotatingHyperplaneStream(10, 2, 0.001, 0.1, 0.05, seed)::next;
        }
    },
    /** Random RBF with every centroid moving: 10 features, 2 classes, 50 centroids. */
    RBF(10, "random RBF (10 features, 2 classes, 50 centroids all moving 0.0001 per example)",
            "[10, 64, 64, 1]", "relu", 0.003, 8, 0.01, 8) {
        @Override
        public Examples training(long examples, long seed) {
            return new RandomRbfStream(10, 2, 50, 50, 0.0001, seed)::next;
        }
    };

    /** The examples of a run without {@code --examples}. */
    static final long DEFAULT_EXAMPLES = 100_000;

    private final int features;
    private final String description;
    private final String networkLayers;
    private final String hiddenActivation;
    private final double networkRate;
    private final int networkBatch;
    private final double logisticRate;
    private final int logisticBatch;

    EvalDataset(int features, String description, String networkLayers, String hiddenActivation,
                double networkRate, int networkBatch, double logisticRate, int logisticBatch) {
        this.features = features;
        this.description = description;
        this.networkLayers = networkLayers;
        this.hiddenActivation = hiddenActivation;
        this.networkRate = networkRate;
        this.networkBatch = networkBatch;
        this.logisticRate = logisticRate;
        this.logisticBatch = logisticBatch;
    }

    /** A new stream of {@code examples} examples in all, seeded; their classes are 0 and 1. */
    @Override
    public abstract Examples training(long examples, long seed);

    @Override
    public int features() {
        return features;
    }

    @Override
    public int classes() {
        return 2;
    }

    @Override
    public long defaultExamples() {
        return DEFAULT_EXAMPLES;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The network's spec: a binary classifier with one sigmoid output, standardised inputs. */
    @Override
    public String networkSpec(long seed) {
        return "{\"layers\": " + networkLayers + ", \"hiddenActivation\": \"" + hiddenActivation + "\","
                + classifier(networkRate, networkBatch, seed) + "}";
    }

    /** Logistic regression: the same output and training, with no hidden layer. */
    @Override
    public String logisticSpec(long seed) {
        return "{\"layers\": [" + features + ", 1]," + classifier(logisticRate, logisticBatch, seed) + "}";
    }

    /** The synthetic stream named {@code name}, or null when none has that name. */
    static EvalDataset byOptionName(String name) {
        for (EvalDataset d : values()) {
            if (d.optionName().equals(name)) {
                return d;
            }
        }
        return null;
    }

    private static String classifier(double rate, int batch, long seed) {
        return " \"outputActivation\": \"sigmoid\", \"loss\": \"binary_cross_entropy\", \"standardize\": true,"
                + " \"batchSize\": " + batch + ", \"optimizer\": {\"type\": \"adam\", \"learningRate\": " + rate
                + "}, \"seed\": " + seed + ", \"snapshotEvery\": 0";
    }
}
