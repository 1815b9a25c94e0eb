package io.streamprop.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.streamprop.eval.ClassifierEvaluation;
import io.streamprop.eval.ClassifierMetrics;
import io.streamprop.eval.ClassifierWindow;
import io.streamprop.eval.DriftEvent;
import io.streamprop.eval.EvaluationSettings;
import io.streamprop.eval.RegressionEvaluation;
import io.streamprop.eval.RegressionMetrics;
import io.streamprop.eval.RegressionWindow;
import io.streamprop.eval.WindowKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes the values of the metrics topic. One record holds a model's prequential scores and its
 * baselines' over the three windows, and the lift over the best baseline in each window:
 * <pre>
 * {"model": "m", "version": 312, "examples": 10000, "unscored": 0, "trigger": "cadence",
 *  "time": "...", "task": "classification", "classes": 2, "window": 1000, "fadingFactor": 0.999,
 *  "scores": {"model": {"cumulative": {"examples": 10000, "accuracy": 0.91, "kappa": 0.81,
 *                                      "logLoss": 0.23}, "sliding": {...}, "fading": {...}},
 *             "majorityClass": {...}, "noChange": {...}},
 *  "lift": {"cumulative": {"baseline": "majorityClass", "accuracy": 0.27, "kappa": 0.81,
 *                          "logLoss": 0.43}, ...},
 *  "driftAlarms": 0, "drift": {...}}
 * </pre>
 * A regression model has "task": "regression", "outputs", scores with "mae" and "rmse", and the
 * running mean as its baseline. A lift is positive when the model does better: accuracy and
 * kappa differences, log loss, MAE and RMSE reductions. An undefined number (no examples yet,
 * kappa when chance agreement is 1) is null. "drift" appears in the record of an alarm only.
 */
final class MetricsRecords {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    /** Why a metrics record was written. */
    enum Trigger {
        CADENCE, SNAPSHOT, DRIFT;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private MetricsRecords() {
    }

    /**
     * @param alarm    the drift alarm this record reports, or null
     * @param reaction what the learner did about the alarm
     */
    static byte[] metrics(String modelId, long version, ModelEvaluation evaluation, Trigger trigger, long timestamp,
                          DriftEvent alarm, DriftReaction reaction) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model", modelId);
            g.writeNumberField("version", version);
            g.writeNumberField("examples", evaluation.examples());
            g.writeNumberField("unscored", evaluation.unscored());
            g.writeStringField("trigger", trigger.jsonName());
            g.writeStringField("time", Instant.ofEpochMilli(timestamp).toString());
            if (evaluation.classifier() != null) {
                writeClassifier(g, evaluation.classifier());
            } else {
                writeRegression(g, evaluation.regression());
            }
            g.writeNumberField("driftAlarms", evaluation.detector().alarms());
            if (alarm != null) {
                writeAlarm(g, alarm, reaction);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeClassifier(JsonGenerator g, ClassifierEvaluation e) throws IOException {
        g.writeStringField("task", "classification");
        g.writeNumberField("classes", e.classes());
        writeSettings(g, e.settings());
        g.writeObjectFieldStart("scores");
        writeScores(g, "model", e.model());
        writeScores(g, "majorityClass", e.majorityClass());
        writeScores(g, "noChange", e.noChange());
        g.writeEndObject();
        g.writeObjectFieldStart("lift");
        for (WindowKind kind : WindowKind.values()) {
            ClassifierWindow model = e.model().window(kind);
            ClassifierWindow majority = e.majorityClass().window(kind);
            ClassifierWindow noChange = e.noChange().window(kind);
            // the best baseline by accuracy; majority class on ties and before any example
            boolean noChangeBest = noChange.accuracy() > majority.accuracy();
            ClassifierWindow best = noChangeBest ? noChange : majority;
            g.writeObjectFieldStart(name(kind));
            g.writeStringField("baseline", noChangeBest ? "noChange" : "majorityClass");
            number(g, "accuracy", model.accuracy() - best.accuracy());
            number(g, "kappa", model.kappa() - best.kappa());
            number(g, "logLoss", best.logLoss() - model.logLoss());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeScores(JsonGenerator g, String field, ClassifierMetrics metrics) throws IOException {
        g.writeObjectFieldStart(field);
        for (WindowKind kind : WindowKind.values()) {
            ClassifierWindow w = metrics.window(kind);
            g.writeObjectFieldStart(name(kind));
            g.writeNumberField("examples", w.examples());
            number(g, "accuracy", w.accuracy());
            number(g, "kappa", w.kappa());
            number(g, "logLoss", w.logLoss());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeRegression(JsonGenerator g, RegressionEvaluation e) throws IOException {
        g.writeStringField("task", "regression");
        g.writeNumberField("outputs", e.outputs());
        writeSettings(g, e.settings());
        g.writeObjectFieldStart("scores");
        writeScores(g, "model", e.model());
        writeScores(g, "runningMean", e.runningMean());
        g.writeEndObject();
        g.writeObjectFieldStart("lift");
        for (WindowKind kind : WindowKind.values()) {
            RegressionWindow model = e.model().window(kind);
            RegressionWindow mean = e.runningMean().window(kind);
            g.writeObjectFieldStart(name(kind));
            g.writeStringField("baseline", "runningMean");
            number(g, "mae", mean.mae() - model.mae());
            number(g, "rmse", mean.rmse() - model.rmse());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeScores(JsonGenerator g, String field, RegressionMetrics metrics) throws IOException {
        g.writeObjectFieldStart(field);
        for (WindowKind kind : WindowKind.values()) {
            RegressionWindow w = metrics.window(kind);
            g.writeObjectFieldStart(name(kind));
            g.writeNumberField("examples", w.examples());
            number(g, "mae", w.mae());
            number(g, "rmse", w.rmse());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeSettings(JsonGenerator g, EvaluationSettings settings) throws IOException {
        g.writeNumberField("window", settings.windowSize());
        g.writeNumberField("fadingFactor", settings.fadingFactor());
    }

    private static void writeAlarm(JsonGenerator g, DriftEvent alarm, DriftReaction reaction) throws IOException {
        g.writeObjectFieldStart("drift");
        g.writeStringField("detector", "page_hinkley");
        g.writeNumberField("observation", alarm.observation());
        g.writeNumberField("sinceReset", alarm.sinceReset());
        number(g, "statistic", alarm.statistic());
        number(g, "threshold", alarm.threshold());
        number(g, "meanLoss", alarm.mean());
        g.writeStringField("reaction", reaction.jsonName());
        g.writeEndObject();
    }

    /** A number, or null when it is NaN or infinite (JSON has neither). */
    private static void number(JsonGenerator g, String field, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumberField(field, value);
        } else {
            g.writeNullField(field);
        }
    }

    private static String name(WindowKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
