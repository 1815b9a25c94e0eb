package io.streamprop.cli;

import io.streamprop.app.LearnerApp;
import io.streamprop.eval.MajorityClassBaseline;
import io.streamprop.eval.NoChangeBaseline;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The test phase of {@code streamprop eval}: once every training example has its committed
 * prediction, sends a labelled test set to both models as queries, which the learner predicts
 * but never learns from, and scores the committed answers against the labels. Beside them, the
 * baselines as the training stream left them: the majority class, and no-change's last label,
 * each predicted for every test example.
 */
final class TestSetQueries {
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private final StreampropConfig config;
    private final LearnerApp learner;
    private final Duration timeout;

    /**
     * @param timeout how long to wait for the next prediction before giving up on the learner
     */
    TestSetQueries(String bootstrap, StreampropConfig config, LearnerApp learner, Duration timeout) {
        this.bootstrap = bootstrap;
        this.config = config;
        this.learner = learner;
        this.timeout = timeout;
    }

    /** The two baselines, taught every label of the training stream in order. */
    static final class Baselines {
        private final MajorityClassBaseline majority;
        private final NoChangeBaseline noChange = new NoChangeBaseline();

        Baselines(int classes) {
            majority = new MajorityClassBaseline(classes);
        }

        void learn(int label) {
            majority.learn(label);
            noChange.learn(label);
        }
    }

    /**
     * What the models and the baselines got right of the test set.
     *
     * @param majorityClass the class the majority-class baseline predicts for every example
     * @param lastLabel     the class no-change predicts for every example
     */
    record Result(long examples, long networkRight, long logisticRight, int majorityClass, long majorityRight,
                  int lastLabel, long noChangeRight) {
        void print(PrintStream out) {
            out.printf("%nTest set: %,d examples sent as queries to both models after the stream (predicted,"
                    + " never learned from):%n", examples);
            out.printf("%-22s %9s%n", "", "accuracy");
            out.printf("%-22s %9.4f%n", "network", share(networkRight));
            out.printf("%-22s %9.4f%n", "logistic regression", share(logisticRight));
            out.printf("%-22s %9.4f  (class %d for every example: the most frequent training label)%n",
                    "majority class", share(majorityRight), majorityClass);
            out.printf("%-22s %9.4f  (class %d for every example: the last training label)%n", "no-change",
                    share(noChangeRight), lastLabel);
            out.printf("%nNetwork on the test set vs logistic regression: %+.4f; vs the best baseline: %+.4f%n",
                    share(networkRight) - share(logisticRight),
                    share(networkRight) - share(Math.max(majorityRight, noChangeRight)));
        }

        double share(long right) {
            return examples == 0 ? 0.0 : (double) right / examples;
        }
    }

    /**
     * Waits until both models' predictions of the {@code trained} training examples are
     * committed, sends every test example to both as a query, and scores their answers.
     */
    Result run(KafkaProducer<String, String> producer, EvalStream.Examples test, int features, long trained,
               Baselines baselines) throws IOException {
        try (PredictionMonitor network = monitor(EvalCommand.NETWORK);
             PredictionMonitor logistic = monitor(EvalCommand.LOGISTIC)) {
            List<PredictionMonitor> both = List.of(network, logistic);
            await(both, m -> m.score().count() >= trained, "the predictions of the training examples");
            List<Integer> labels = send(producer, test, features);
            await(both, m -> m.queryClasses().size() >= labels.size(), "the answers to the test queries");
            int majority = baselines.majority.predict();
            int last = baselines.noChange.predict();
            return new Result(labels.size(), right(network.queryClasses(), labels), right(logistic.queryClasses(),
                    labels), majority, labels.stream().filter(l -> l == majority).count(), last,
                    labels.stream().filter(l -> l == last).count());
        }
    }

    private PredictionMonitor monitor(String model) {
        return new PredictionMonitor(bootstrap, config.predictionsTopic(), model, 1000, timeout);
    }

    /** Sends the test examples as queries to both models, ids from 0; returns their labels. */
    private List<Integer> send(KafkaProducer<String, String> producer, EvalStream.Examples test, int features)
            throws IOException {
        List<Integer> labels = new ArrayList<>();
        double[] x = new double[features];
        StringBuilder json = new StringBuilder();
        for (int label = test.next(x); label >= 0; label = test.next(x)) {
            String value = EvalCommand.exampleJson(json, labels.size(), x, -1);
            long time = System.currentTimeMillis();
            producer.send(new ProducerRecord<>(config.queriesTopic(), null, time, EvalCommand.NETWORK, value));
            producer.send(new ProducerRecord<>(config.queriesTopic(), null, time, EvalCommand.LOGISTIC, value));
            labels.add(label);
        }
        producer.flush();
        return labels;
    }

    /** Reads predictions until {@code done} holds for every monitor; fails when the learner stalls or stops. */
    private void await(List<PredictionMonitor> monitors, Predicate<PredictionMonitor> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!monitors.stream().allMatch(done)) {
            KafkaStreams.State state = learner.streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the learner stopped (" + state + ") while eval waited for " + what
                        + "; see its log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no prediction from the learner for " + timeout.toSeconds()
                        + " s while eval waited for " + what);
            }
            long before = progress(monitors);
            for (PredictionMonitor m : monitors) {
                m.poll(POLL);
            }
            if (progress(monitors) != before) {
                deadline = System.nanoTime() + timeout.toNanos();
            }
        }
    }

    private static long progress(List<PredictionMonitor> monitors) {
        return monitors.stream().mapToLong(m -> m.score().count() + m.queryClasses().size()).sum();
    }

    private static long right(Map<String, Integer> answers, List<Integer> labels) {
        long right = 0;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equals(answers.get(String.valueOf(i)))) {
                right++;
            }
        }
        return right;
    }
}
