package io.streamprop.web;

import io.streamprop.serde.Rejection;
import io.streamprop.stats.LearningStats;
import io.streamprop.stats.ModelProgress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Writes metrics in Prometheus' text exposition format, version 0.0.4: for each metric family a
 * {@code # HELP} and a {@code # TYPE} line, then one line per sample,
 * {@code name{label="value",...} number}.
 *
 * <p>Two sources: Kafka Streams' own metrics (those of its clients included), each named
 * {@code kafka_streams_<group>_<name>} with its tags as labels, and the learner's per-model
 * statistics under the {@code streamprop_} names of {@link #writeModels}.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, Family> families = new TreeMap<>();

    private static final class Family {
        final String help;
        final String type;
        final List<String> samples = new ArrayList<>();
        final Set<String> labelSets = new HashSet<>();

        Family(String help, String type) {
            this.help = help;
            this.type = type;
        }
    }

    /** Adds Kafka's metrics; those whose value is not a number are left out. */
    PrometheusText addKafkaMetrics(Map<MetricName, ? extends Metric> metrics) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            Object value = e.getValue().metricValue();
            if (!(value instanceof Number)) {
                continue;
            }
            MetricName m = e.getKey();
            String name = metricName("kafka_streams_" + m.group() + "_" + m.name());
            Map<String, String> labels = new TreeMap<>();
            m.tags().forEach((k, v) -> labels.put(labelName(k), v));
            add(name, m.description(), name.endsWith("_total") ? "counter" : "gauge", labels, (Number) value);
        }
        return this;
    }

    /**
     * Adds the learner's statistics: per model (label {@code model}) the examples learned from,
     * examples per second, recent loss and accuracy (classifiers only), version and age of the
     * last snapshot; per reason, the dead letters.
     */
    PrometheusText addLearningStats(LearningStats stats, long nowMs) {
        for (ModelProgress p : stats.allProgress()) {
            Map<String, String> model = Map.of("model", p.model());
            add("streamprop_model_examples_total", "Labelled examples predicted, then learned from, since the"
                    + " model was created", "counter", model, p.examples());
            add("streamprop_model_examples_per_second", "Labelled examples per second over about the last"
                    + " 10 seconds", "gauge", model, p.examplesPerSecond(nowMs));
            add("streamprop_model_loss", "Mean loss of the predictions over the recent window of examples,"
                    + " each predicted before it was learned from", "gauge", model, p.recentLoss());
            if (p.isClassifier()) {
                add("streamprop_model_accuracy", "Share of right classes over the recent window of examples",
                        "gauge", model, p.recentAccuracy());
            }
            add("streamprop_model_version", "Training steps applied to the model", "gauge", model, p.version());
            OptionalDouble age = p.snapshotAgeSeconds(nowMs);
            if (age.isPresent()) {
                add("streamprop_model_snapshot_age_seconds", "Seconds since the timestamp of the model's last"
                        + " snapshot", "gauge", model, age.getAsDouble());
            }
        }
        add("streamprop_examples_lost_on_replay_total", "Examples that rebuilding a model on this instance left"
                + " out because the examples topic no longer held them", "counter", Map.of(),
                stats.examplesLostOnReplay());
        for (Rejection r : Rejection.values()) {
            add("streamprop_dead_letters_total", "Records sent to the dead-letter topic by this instance, by"
                    + " reason", "counter", Map.of("reason", r.code()), stats.deadLetters(r));
        }
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder(64 * 1024);
        for (Map.Entry<String, Family> e : families.entrySet()) {
            Family f = e.getValue();
            out.append("# HELP ").append(e.getKey()).append(' ').append(escapeHelp(f.help)).append('\n');
            out.append("# TYPE ").append(e.getKey()).append(' ').append(f.type).append('\n');
            f.samples.forEach(s -> out.append(s).append('\n'));
        }
        return out.toString();
    }

    private void add(String name, String help, String type, Map<String, String> labels, Number value) {
        Family family = families.computeIfAbsent(name, n -> new Family(help == null || help.isEmpty()
                ? name : help, type));
        StringBuilder labelText = new StringBuilder();
        new TreeMap<>(labels).forEach((k, v) -> labelText.append(labelText.length() == 0 ? "{" : ",")
                .append(k).append("=\"").append(escapeLabelValue(v)).append('"'));
        if (labelText.length() > 0) {
            labelText.append('}');
        }
        // two Kafka metrics may differ only in characters that the names cannot hold: keep the first
        if (family.labelSets.add(labelText.toString())) {
            family.samples.add(name + labelText + " " + number(value));
        }
    }

    /** A metric name: characters other than letters, digits and underscores become underscores. */
    static String metricName(String raw) {
        String name = raw.replaceAll("[^a-zA-Z0-9_]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** A label name, as a metric name, but never starting with the reserved "__". */
    static String labelName(String raw) {
        String name = metricName(raw);
        return name.startsWith("__") ? "tag" + name : name;
    }

    static String number(Number value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return String.valueOf(value.longValue());
        }
        double v = value.doubleValue();
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.valueOf(v);
    }

    static String escapeLabelValue(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
