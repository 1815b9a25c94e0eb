package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.data.SeaStream;
import io.streamprop.eval.ClassifierEvaluation;
import io.streamprop.eval.ClassifierMetrics;
import io.streamprop.eval.ClassifierWindow;
import io.streamprop.eval.EvaluationSettings;
import io.streamprop.eval.RegressionEvaluation;
import io.streamprop.eval.RegressionWindow;
import io.streamprop.eval.WindowKind;
import io.streamprop.nn.MiniBatch;
import io.streamprop.nn.Model;
import io.streamprop.nn.ModelJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The metrics topic: scores checked against the evaluation kernel fed the same predictions, cadence, drift. */
class ModelEvaluatorTest {
    private static final String SOFTMAX = "{\"layers\": [2, 8, 3], \"hiddenActivation\": \"tanh\","
            + " \"outputActivation\": \"softmax\", \"loss\": \"categorical_cross_entropy\", \"batchSize\": 4,"
            + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.05}, \"snapshotEvery\": 30}";
    private static final String SIGMOID = "{\"layers\": [2, 4, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 2, \"snapshotEvery\": 0}";
    private static final String LINEAR = "{\"layers\": [2, 1], \"loss\": \"mse\", \"batchSize\": 2,"
            + " \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.05}, \"snapshotEvery\": 0}";
    /** Logistic regression on SEA's three features; a snapshot once all examples are learned. */
    private static final String SEA_LR = "{\"layers\": [3, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 4, \"standardize\": true,"
            + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.05}, \"snapshotEvery\": 300";
    private static final int CONCEPT = 600;
    private static final Map<String, String> EVERY_50 = Map.of(StreampropConfig.METRICS_EVERY, "50",
            StreampropConfig.METRICS_WINDOW, "40", StreampropConfig.METRICS_FADING_FACTOR, "0.95");
    private static final EvaluationSettings SETTINGS = new EvaluationSettings(40, 0.95);

    @Test
    void shouldScoreAClassifierAsTheEvaluationKernelDoesOnItsPredictions() {
        try (LearnerDriver d = new LearnerDriver(EVERY_50)) {
            d.spec("m", SOFTMAX);
            SplittableRandom random = new SplittableRandom(4);
            for (int i = 0; i < 120; i++) {
                double x = random.nextDouble(-1, 1);
                double y = random.nextDouble(-1, 1);
                d.example("m", LearnerDriver.example("e" + i, x * y > 0 ? (x > 0 ? 0 : 1) : 2, x, y));
            }

            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            List<TestRecord<byte[], byte[]>> records = d.metrics.readRecordsToList();
            List<JsonNode> cadence = new ArrayList<>();
            for (TestRecord<byte[], byte[]> r : records) {
                assertEquals("m", new String(r.key(), StandardCharsets.UTF_8));
                JsonNode m = LearnerDriver.parse(r.value());
                if (m.get("trigger").asText().equals("cadence")) {
                    cadence.add(m);
                }
            }
            assertEquals(List.of(50L, 100L), cadence.stream().map(m -> m.get("examples").asLong()).toList());
            ClassifierEvaluation reference = new ClassifierEvaluation(SETTINGS, 3);
            for (int i = 0; i < 100; i++) {
                JsonNode p = predictions.get(i);
                reference.record(doubles(p.get("output")), p.get("label").asInt());
                if (i + 1 == 50 || i + 1 == 100) {
                    JsonNode m = cadence.get(i / 50);
                    assertEquals(p.get("version").asLong(), m.get("version").asLong());
                    assertEquals("classification", m.get("task").asText());
                    assertEquals(3, m.get("classes").asInt());
                    assertEquals(40, m.get("window").asInt());
                    assertSameScores(reference.model(), m.get("scores").get("model"));
                    assertSameScores(reference.majorityClass(), m.get("scores").get("majorityClass"));
                    assertSameScores(reference.noChange(), m.get("scores").get("noChange"));
                    assertLift(reference, m.get("lift"));
                }
            }
        }
    }

    @Test
    void shouldScoreASingleSigmoidAsABinaryClassifierAndMseAsRegression() {
        try (LearnerDriver d = new LearnerDriver(EVERY_50)) {
            d.spec("b", SIGMOID);
            d.spec("r", LINEAR);
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < 50; i++) {
                double x = random.nextDouble(-1, 1);
                double y = random.nextDouble(-1, 1);
                d.example("b", LearnerDriver.example("b" + i, x + y > 0 ? 1 : 0, x, y));
                d.example("r", LearnerDriver.example("r" + i, 2 * x - y + 0.5, x, y));
            }

            ClassifierEvaluation binary = new ClassifierEvaluation(SETTINGS, 2);
            RegressionEvaluation regression = new RegressionEvaluation(SETTINGS, 1);
            for (JsonNode p : LearnerDriver.read(d.predictions)) {
                if (p.get("model").asText().equals("b")) {
                    binary.recordBinary(p.get("output").get(0).asDouble(), p.get("label").asInt());
                } else {
                    regression.record(doubles(p.get("output")), new double[] {p.get("label").asDouble()});
                }
            }
            List<JsonNode> metrics = cadence(LearnerDriver.read(d.metrics));
            assertEquals(2, metrics.size());
            JsonNode b = metrics.get(0).get("model").asText().equals("b") ? metrics.get(0) : metrics.get(1);
            JsonNode r = metrics.get(0).get("model").asText().equals("r") ? metrics.get(0) : metrics.get(1);
            assertEquals(2, b.get("classes").asInt());
            assertSameScores(binary.model(), b.get("scores").get("model"));
            assertSameScores(binary.noChange(), b.get("scores").get("noChange"));
            assertEquals("regression", r.get("task").asText());
            assertEquals(1, r.get("outputs").asInt());
            for (WindowKind kind : WindowKind.values()) {
                RegressionWindow model = regression.model().window(kind);
                RegressionWindow mean = regression.runningMean().window(kind);
                JsonNode scores = r.get("scores").get("model").get(name(kind));
                assertEquals(model.mae(), scores.get("mae").asDouble(), kind.name());
                assertEquals(model.rmse(), scores.get("rmse").asDouble(), kind.name());
                assertEquals(mean.rmse(), r.get("scores").get("runningMean").get(name(kind)).get("rmse").asDouble());
                assertEquals(mean.mae() - model.mae(), r.get("lift").get(name(kind)).get("mae").asDouble());
                assertEquals("runningMean", r.get("lift").get(name(kind)).get("baseline").asText());
            }
        }
    }

    @Test
    void shouldScoreALateLabelWithThePredictionMadeWhenItsExampleCame() {
        try (LearnerDriver d = new LearnerDriver(EVERY_50)) {
            d.spec("b", SIGMOID);
            SplittableRandom random = new SplittableRandom(12);
            List<String> waiting = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                double x = random.nextDouble(-1, 1);
                double y = random.nextDouble(-1, 1);
                int label = x + y > 0 ? 1 : 0;
                if (i % 3 == 0) {
                    // no label yet: it comes a few examples later
                    d.example("b", "{\"id\": \"late" + i + "\", \"features\": [" + x + ", " + y + "]}");
                    waiting.add("{\"id\": \"late" + i + "\", \"label\": " + label + "}");
                } else {
                    d.example("b", LearnerDriver.example("e" + i, label, x, y));
                }
                if (waiting.size() == 3) {
                    waiting.forEach(l -> d.label("b", l));
                    waiting.clear();
                }
            }
            waiting.forEach(l -> d.label("b", l));

            ClassifierEvaluation reference = new ClassifierEvaluation(SETTINGS, 2);
            int delayed = 0;
            for (JsonNode p : LearnerDriver.read(d.predictions)) {
                if (p.has("label")) {
                    reference.recordBinary(p.get("output").get(0).asDouble(), p.get("label").asInt());
                    delayed += p.path("delayed").asBoolean() ? 1 : 0;
                }
            }
            assertEquals(34, delayed);
            assertEquals(100, reference.examples());
            List<JsonNode> cadence = cadence(LearnerDriver.read(d.metrics));
            JsonNode last = cadence.get(cadence.size() - 1);
            assertEquals(reference.examples(), last.get("examples").asLong());
            assertSameScores(reference.model(), last.get("scores").get("model"));
            assertSameScores(reference.noChange(), last.get("scores").get("noChange"));
        }
    }

    @Test
    void shouldWriteNullForUndefinedScoresAndARecordPerSnapshot() {
        try (LearnerDriver d = new LearnerDriver(EVERY_50)) {
            d.spec("m", SOFTMAX);
            // every example of class 1, and predicted as such once the model has learned it
            for (int i = 0; i < 130; i++) {
                d.example("m", LearnerDriver.example("e" + i, 1, 0.5, 0.5));
            }

            List<JsonNode> metrics = LearnerDriver.read(d.metrics);
            JsonNode created = metrics.get(0);
            assertEquals("snapshot", created.get("trigger").asText());
            assertEquals(0, created.get("examples").asLong());
            JsonNode cumulative = created.get("scores").get("model").get("cumulative");
            assertEquals(0.0, cumulative.get("examples").asDouble());
            for (String field : List.of("accuracy", "kappa", "logLoss")) {
                assertTrue(cumulative.get(field).isNull(), field + " before any example: " + cumulative);
            }
            assertTrue(created.get("lift").get("sliding").get("accuracy").isNull());
            assertFalse(created.has("drift"));

            // the window of 40 holds only class 1, true and predicted: kappa is undefined
            JsonNode last = metrics.get(metrics.size() - 1);
            assertEquals(1.0, last.get("scores").get("model").get("sliding").get("accuracy").asDouble());
            assertTrue(last.get("scores").get("model").get("sliding").get("kappa").isNull());
            // snapshots after updates 30 and 60 (examples 120 and 240 would be next), cadence at 50 and 100
            List<String> triggers = metrics.stream().map(m -> m.get("trigger").asText() + "@" + m.get("examples"))
                    .toList();
            assertEquals(List.of("snapshot@0", "cadence@50", "cadence@100", "snapshot@120"), triggers);
        }
    }

    @Test
    void shouldRaiseADriftAlarmAtAnAbruptChangeAndLeaveTheModelAloneByDefault() {
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("sea", SEA_LR + "}");
            List<Row> rows = seaWithSwap(d, "sea");

            List<JsonNode> alarms = alarms(LearnerDriver.read(d.metrics));
            assertEquals(1, alarms.size(), "one alarm, after the change: " + alarms);
            JsonNode alarm = alarms.get(0);
            long at = alarm.get("examples").asLong();
            assertTrue(at > CONCEPT && at < CONCEPT + 100, "alarm at example " + at);
            JsonNode drift = alarm.get("drift");
            assertEquals("drift", alarm.get("trigger").asText());
            assertEquals("page_hinkley", drift.get("detector").asText());
            assertEquals("none", drift.get("reaction").asText());
            assertTrue(drift.get("statistic").asDouble() > drift.get("threshold").asDouble());
            assertEquals(DriftSpec.DEFAULT_DETECTOR.lambda(), drift.get("threshold").asDouble());
            assertEquals(1, alarm.get("driftAlarms").asLong());
            JsonNode state = lastSnapshot(d).get("state");
            assertEquals(simulate(ModelSpec.fromJson(LearnerDriver.bytes(SEA_LR + "}")), rows), state);
            assertEquals(1, state.get("format").asInt(), "the optimizer was never restarted");
        }
    }

    @Test
    void shouldRestartTheOptimizerAndBoostTheLearningRateOnAlarm() {
        String json = SEA_LR + ", \"onDrift\": \"reset_optimizer\","
                + " \"drift\": {\"learningRateFactor\": 4, \"boostSteps\": 500}}";
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("sea", json);
            List<Row> rows = seaWithSwap(d, "sea");

            JsonNode alarm = alarms(LearnerDriver.read(d.metrics)).get(0);
            assertEquals("reset_optimizer", alarm.get("drift").get("reaction").asText());
            long version = alarm.get("version").asLong();
            JsonNode state = lastSnapshot(d).get("state");
            assertEquals(simulate(ModelSpec.fromJson(LearnerDriver.bytes(json)), rows), state);
            JsonNode schedule = state.get("optimizerSchedule");
            long updates = state.get("updatesApplied").asLong();
            assertEquals(updates - version, schedule.get("steps").asLong(), "the optimizer counts from the alarm");
            assertEquals(4.0, schedule.get("learningRateFactor").asDouble());
            assertEquals(500 - (updates - version), schedule.get("boostedStepsLeft").asLong());
        }
    }

    @Test
    void shouldReplaceTheModelWithAFreshOneOnAlarm() {
        // a snapshot after every update: the reset adds one, so the last comes after update 301
        String json = SEA_LR.replace("\"snapshotEvery\": 300", "\"snapshotEvery\": 1")
                + ", \"onDrift\": \"reset_model\"}";
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("sea", json);
            List<Row> rows = seaWithSwap(d, "sea");

            JsonNode alarm = alarms(LearnerDriver.read(d.metrics)).get(0);
            assertEquals("reset_model", alarm.get("drift").get("reaction").asText());
            long version = alarm.get("version").asLong();
            JsonNode state = lastSnapshot(d).get("state");
            assertEquals(simulate(ModelSpec.fromJson(LearnerDriver.bytes(json)), rows), state);
            long updates = state.get("updatesApplied").asLong();
            assertEquals(2 * CONCEPT / 4 + 1, updates, "versions keep counting, the reset counted as one update");
            assertEquals(updates - version, state.get("optimizerSchedule").get("steps").asLong());
            // every example not yet learned at the alarm, the pending ones included, trained the new model
            assertEquals(2 * CONCEPT - 4 * (version - 1), state.get("scaler").get("count").asLong(),
                    "the feature statistics started afresh");
        }
    }

    /**
     * A reset_model reaction swaps in fresh weights between two steps: the predictions they make
     * before their first step carry a version of their own, one above the old weights' last, as
     * does the alarm's metrics record; no version names two sets of weights.
     */
    @Test
    void shouldGiveTheFreshWeightsOfAResetModelAVersionOfTheirOwn() {
        String json = SEA_LR.replace("\"batchSize\": 4", "\"batchSize\": 7").replace("\"snapshotEvery\": 300",
                "\"snapshotEvery\": 1") + ", \"onDrift\": \"reset_model\"}";
        ModelSpec spec = ModelSpec.fromJson(LearnerDriver.bytes(json));
        double[] query = {0.5, 9.0, 3.0};
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("sea", json);
            SeaStream stream = new SeaStream(10 * CONCEPT, 0.0, 21);
            double[] x = new double[3];
            List<JsonNode> alarms = List.of();
            int sent = 0;
            while (alarms.isEmpty()) {
                int label = stream.next(x);
                d.example("sea", LearnerDriver.example("s" + sent, sent < CONCEPT ? label : 1 - label, x));
                sent++;
                alarms = alarms(LearnerDriver.read(d.metrics));
            }
            d.query("sea", "{\"id\": \"q\", \"features\": [0.5, 9.0, 3.0]}");

            List<JsonNode> predictions = LearnerDriver.read(d.predictions);
            JsonNode alarm = alarms.get(0);
            assertEquals(sent, alarm.get("examples").asLong());
            assertTrue(sent % 7 != 0, "the alarm's example leaves the batch partial, so no step follows the reset");
            long oldVersion = predictions.get(sent - 1).get("version").asLong();
            JsonNode answer = predictions.get(sent);
            assertEquals("q", answer.get("id").asText());
            assertEquals(oldVersion + 1, answer.get("version").asLong(), "the fresh weights' version");
            assertEquals(oldVersion + 1, alarm.get("version").asLong());
            double[] fresh = new double[1];
            Model.create(spec.network()).predict(query, fresh);
            assertEquals(fresh[0], answer.get("output").get(0).asDouble(), "the answer comes from fresh weights");
            // with a snapshot at every version, the fresh weights' version has its own
            JsonNode snapshot = lastSnapshot(d);
            assertEquals(oldVersion + 1, snapshot.get("version").asLong());
            assertEquals(0, snapshot.get("state").get("optimizerSchedule").get("steps").asLong());
            assertEquals(oldVersion + 1, d.stats.progress("sea").orElseThrow().version(),
                    "the statistics know the new version before its first step");
        }
    }

    @Test
    void shouldKeepTheEvaluationAcrossAHyperParameterChange() {
        try (LearnerDriver d = new LearnerDriver(EVERY_50)) {
            d.spec("m", SOFTMAX);
            for (int i = 0; i < 30; i++) {
                d.example("m", LearnerDriver.example("e" + i, i % 3, i % 3, 1));
            }
            d.spec("m", SOFTMAX.replace("0.05", "0.01").replace("}", ", \"onDrift\": \"reset_model\"}"));
            for (int i = 30; i < 50; i++) {
                d.example("m", LearnerDriver.example("e" + i, i % 3, i % 3, 1));
            }

            List<JsonNode> cadence = cadence(LearnerDriver.read(d.metrics));
            assertEquals(1, cadence.size());
            assertEquals(50.0, cadence.get(0).get("scores").get("model").get("cumulative").get("examples").asDouble());
        }
    }

    private record Row(double[] x, int label) {
    }

    /**
     * Streams noise-free SEA (theta 8) to {@code model}: {@value #CONCEPT} examples, then as many
     * with the classes swapped, the most abrupt change there is.
     */
    private static List<Row> seaWithSwap(LearnerDriver d, String model) {
        SeaStream stream = new SeaStream(10 * CONCEPT, 0.0, 21);
        double[] x = new double[3];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 2 * CONCEPT; i++) {
            int label = stream.next(x);
            rows.add(new Row(x.clone(), i < CONCEPT ? label : 1 - label));
            d.example(model, LearnerDriver.example("s" + i, rows.get(i).label(), x));
        }
        return rows;
    }

    /**
     * The learner's test-then-train loop in memory, with the same evaluation, detector and
     * reaction; returns the readable model state at the end.
     */
    private static JsonNode simulate(ModelSpec spec, List<Row> rows) {
        Model model = Model.create(spec.network());
        MiniBatch batch = MiniBatch.forSpec(spec.network());
        ModelEvaluation evaluation = ModelEvaluation.start(spec.network(), spec.drift(), EvaluationSettings.DEFAULTS);
        double[] output = new double[1];
        for (Row row : rows) {
            double[] target = {row.label()};
            double loss = model.predictAndScore(row.x(), target, output);
            if (evaluation.record(output, target, loss) != null) {
                switch (spec.drift().reaction()) {
                    case RESET_OPTIMIZER -> model.restartOptimizer(spec.drift().learningRateFactor(),
                            spec.drift().boostSteps());
                    case RESET_MODEL -> model = model.reinitialized();
                    case NONE -> { }
                    default -> throw new AssertionError(spec.drift().reaction());
                }
            }
            batch.add(row.x(), target);
            if (batch.isFull()) {
                model.step(batch);
                batch.clear();
            }
        }
        return LearnerDriver.parse(ModelJson.write(model).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode lastSnapshot(LearnerDriver d) {
        List<JsonNode> all = LearnerDriver.read(d.snapshots);
        return all.get(all.size() - 1);
    }

    private static List<JsonNode> alarms(List<JsonNode> metrics) {
        return metrics.stream().filter(m -> m.has("drift")).toList();
    }

    private static List<JsonNode> cadence(List<JsonNode> metrics) {
        return metrics.stream().filter(m -> m.get("trigger").asText().equals("cadence")).toList();
    }

    private static void assertSameScores(ClassifierMetrics expected, JsonNode actual) {
        for (WindowKind kind : WindowKind.values()) {
            ClassifierWindow w = expected.window(kind);
            JsonNode a = actual.get(name(kind));
            assertEquals(w.examples(), a.get("examples").asDouble(), kind.name());
            assertNumber(w.accuracy(), a.get("accuracy"), kind + " accuracy");
            assertNumber(w.kappa(), a.get("kappa"), kind + " kappa");
            assertNumber(w.logLoss(), a.get("logLoss"), kind + " log loss");
        }
    }

    private static void assertLift(ClassifierEvaluation e, JsonNode lift) {
        for (WindowKind kind : WindowKind.values()) {
            ClassifierWindow model = e.model().window(kind);
            ClassifierWindow majority = e.majorityClass().window(kind);
            ClassifierWindow noChange = e.noChange().window(kind);
            ClassifierWindow best = noChange.accuracy() > majority.accuracy() ? noChange : majority;
            JsonNode l = lift.get(name(kind));
            assertEquals(best == noChange ? "noChange" : "majorityClass", l.get("baseline").asText());
            assertNumber(model.accuracy() - best.accuracy(), l.get("accuracy"), kind + " lift");
            assertNumber(best.logLoss() - model.logLoss(), l.get("logLoss"), kind + " log-loss lift");
        }
    }

    private static void assertNumber(double expected, JsonNode actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(actual.isNull(), what + " is undefined and written as null, got " + actual);
        } else {
            assertEquals(expected, actual.asDouble(), what);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static String name(WindowKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
