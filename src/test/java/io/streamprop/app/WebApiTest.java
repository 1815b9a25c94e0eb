package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.StoredModels;
import io.streamprop.topology.StreampropConfig;
import io.streamprop.web.PrometheusParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST API and the metrics with two learner instances sharing the models: each instance
 * answers about every model, forwarding to the instance that holds it.
 */
@ExtendWith(KafkaCluster.class)
class WebApiTest {
    private static final String SPEC = "{\"layers\": [2, 8, 1], \"outputActivation\": \"sigmoid\","
            + " \"loss\": \"binary_cross_entropy\", \"batchSize\": 10, \"seed\": 3, \"snapshotEvery\": 0}";
    private static final int EXAMPLES = 300;
    private static final int MODELS_PER_INSTANCE = 2;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void shouldAnswerFromEitherInstanceWhatTheOwnerOfTheModelKnows() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(4)) {
            LearnerApp a = kafka.startLearner();
            LearnerApp b = kafka.startLearner();
            awaitBothHoldTasks(a, b);
            Map<String, LearnerApp> owners = pickModels(a, b);
            for (String model : owners.keySet()) {
                kafka.send(StreampropConfig.MODELS_TOPIC, model, SPEC);
            }
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, owners.size());
            Random random = new Random(11);
            for (int i = 0; i < EXAMPLES; i++) {
                for (String model : owners.keySet()) {
                    double x = Math.round(random.nextGaussian() * 100) / 100.0;
                    double y = Math.round(random.nextGaussian() * 100) / 100.0;
                    kafka.send(StreampropConfig.EXAMPLES_TOPIC, model, "{\"features\": [" + x + ", " + y
                            + "], \"label\": " + (x * y > 0 ? 1 : 0) + "}");
                }
            }
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, owners.size() * EXAMPLES);
            // the learner's own answer to a query, to compare the REST answers with
            for (String model : owners.keySet()) {
                kafka.send(StreampropConfig.QUERIES_TOPIC, model, "{\"id\": \"q\", \"features\": [0.3, -0.7]}");
            }
            kafka.flush();
            Map<String, JsonNode> learnerAnswers = new HashMap<>();
            for (JsonNode p : kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, owners.size() * (EXAMPLES + 1))) {
                if (p.path("id").asText().equals("q")) {
                    learnerAnswers.put(p.get("model").asText(), p);
                }
            }
            assertEquals(owners.keySet(), learnerAnswers.keySet());

            for (Map.Entry<String, LearnerApp> e : owners.entrySet()) {
                String model = e.getKey();
                LearnerApp owner = e.getValue();
                LearnerApp other = owner == a ? b : a;
                JsonNode viaOther = call(other, "POST", "/api/models/" + model + "/predict",
                        "{\"features\": [0.3, -0.7]}", 200);
                JsonNode learner = learnerAnswers.get(model);
                assertEquals(name(owner), viaOther.get("instance").asText(), "answered by the owner");
                assertEquals(learner.get("version").asLong(), viaOther.get("version").asLong());
                assertEquals(learner.get("output").get(0).asDouble(), viaOther.get("output").get(0).asDouble(),
                        "the same weights as the learner's, log replayed: " + viaOther);
                assertEquals(learner.get("class").asInt(), viaOther.get("class").asInt());
                assertEquals(viaOther.get("output"), call(owner, "POST", "/api/models/" + model + "/predict",
                        "{\"features\": [0.3, -0.7]}", 200).get("output"));

                JsonNode one = call(other, "GET", "/api/models/" + model, null, 200);
                assertEquals(EXAMPLES / 10, one.get("version").asLong());
                assertEquals(EXAMPLES, one.get("examplesSeen").asLong() + one.get("pendingExamples").asLong());
                assertEquals("[2,8,1]", one.get("spec").get("layers").toString());
                assertEquals(name(owner), one.get("instance").asText());
                JsonNode metrics = one.get("metrics");
                assertEquals(EXAMPLES, metrics.get("examples").asLong());
                assertTrue(metrics.get("loss").asDouble() > 0, metrics.toString());
                double accuracy = metrics.get("accuracy").asDouble();
                assertTrue(accuracy >= 0 && accuracy <= 1, metrics.toString());

                JsonNode curve = call(other, "GET", "/api/models/" + model + "/curve", null, 200);
                assertEquals("[100,200,300]", curve.get("examples").toString());
                assertEquals(3, curve.get("loss").size());
                assertEquals(3, curve.get("accuracy").size());
            }

            for (LearnerApp app : List.of(a, b)) {
                JsonNode list = call(app, "GET", "/api/models", null, 200);
                Map<String, String> listed = new TreeMap<>();
                list.get("models").forEach(m -> listed.put(m.get("id").asText(), m.get("instance").asText()));
                Map<String, String> expected = new TreeMap<>();
                owners.forEach((model, owner) -> expected.put(model, name(owner)));
                assertEquals(expected, listed, "every model, from both instances");
                assertTrue(list.get("complete").asBoolean());
                assertEquals(2, list.get("instances").size());
                assertPrometheusMetrics(app, owners);
            }
        }
    }

    @Test
    void shouldRefuseUnknownModelsAndBadQueriesAsTheLearnerDoes() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(4)) {
            LearnerApp a = kafka.startLearner();
            LearnerApp b = kafka.startLearner();
            awaitBothHoldTasks(a, b);
            Map<String, LearnerApp> owners = pickModels(a, b);
            String model = owners.keySet().iterator().next();
            LearnerApp owner = owners.get(model);
            LearnerApp other = owner == a ? b : a;
            kafka.send(StreampropConfig.MODELS_TOPIC, model, SPEC);
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 1);
            String wrongCount = "{\"features\": [1, 2, 3], \"label\": 1}";
            kafka.send(StreampropConfig.EXAMPLES_TOPIC, model, wrongCount);
            kafka.send(StreampropConfig.EXAMPLES_TOPIC, "nobody", wrongCount);
            kafka.flush();
            Map<String, String> deadLetterMessages = new HashMap<>();
            kafka.awaitRecords(StreampropConfig.DEAD_LETTERS_TOPIC, 2)
                    .forEach(d -> deadLetterMessages.put(d.get("reason").asText(), d.get("message").asText()));

            for (LearnerApp app : List.of(owner, other)) {
                JsonNode unknown = call(app, "GET", "/api/models/nobody", null, 404);
                assertEquals("unknown_model", unknown.get("error").asText());
                assertEquals(deadLetterMessages.get("unknown_model"), unknown.get("message").asText());
                assertEquals(unknown, call(app, "POST", "/api/models/nobody/predict", "{\"features\": [1, 2]}", 404));
                assertEquals(unknown, call(app, "GET", "/api/models/nobody/curve", null, 404));

                JsonNode count = call(app, "POST", "/api/models/" + model + "/predict", wrongCount, 400);
                assertEquals("wrong_feature_count", count.get("error").asText());
                assertEquals(deadLetterMessages.get("wrong_feature_count"), count.get("message").asText());
                JsonNode nan = call(app, "POST", "/api/models/" + model + "/predict", "{\"features\": [NaN, 1]}", 400);
                assertEquals("not_finite", nan.get("error").asText());
                assertEquals("features[0] is NaN; only finite numbers are accepted", nan.get("message").asText());
                assertEquals("not_json", call(app, "POST", "/api/models/" + model + "/predict", "[1, 2]", 400)
                        .get("error").asText());
                assertEquals("missing_features", call(app, "POST", "/api/models/" + model + "/predict", "{}", 400)
                        .get("error").asText());
            }
            assertEquals(405, send(owner, "GET", "/api/models/" + model + "/predict", null).statusCode());

            // the dead letters are counted by the instances that wrote them
            Map<String, Double> ownerMetrics = metrics(owner);
            Map<String, Double> otherMetrics = metrics(other);
            assertEquals(1.0, ownerMetrics.get("streamprop_dead_letters_total{reason=\"wrong_feature_count\"}"));
            assertEquals(0.0, otherMetrics.get("streamprop_dead_letters_total{reason=\"wrong_feature_count\"}"));
            assertEquals(1.0, ownerMetrics.get("streamprop_dead_letters_total{reason=\"unknown_model\"}")
                    + otherMetrics.get("streamprop_dead_letters_total{reason=\"unknown_model\"}"));
        }
    }

    @Test
    void shouldKeepTheLearningCurveWhenAnotherInstanceTakesTheModelOver() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(1)) {
            LearnerApp first = kafka.startLearner();
            kafka.send(StreampropConfig.MODELS_TOPIC, "m", SPEC);
            sendExamples(kafka, "m", 0, 250);
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, 250);
            JsonNode before = call(first, "GET", "/api/models/m/curve", null, 200);
            assertEquals("[100,200]", before.get("examples").toString());
            first.close();

            // a new instance, with a new state directory: the stores come back from their changelogs
            LearnerApp second = kafka.startLearner();
            JsonNode restored = call(second, "GET", "/api/models/m/curve", null, 200);
            assertEquals(before.get("examples"), restored.get("examples"));
            assertEquals(before.get("loss"), restored.get("loss"));
            assertEquals(before.get("accuracy"), restored.get("accuracy"));
            sendExamples(kafka, "m", 250, 400);
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, 400);

            JsonNode after = call(second, "GET", "/api/models/m/curve", null, 200);
            // the open window of the first instance (examples 201 to 250) is not carried over
            assertEquals("[100,200,350]", after.get("examples").toString());
            assertEquals(before.get("loss").get(1), after.get("loss").get(1));
            JsonNode model = call(second, "GET", "/api/models/m", null, 200);
            assertEquals(400, model.get("metrics").get("examples").asLong());
            assertEquals(400, model.get("examplesSeen").asLong() + model.get("pendingExamples").asLong());
        }
    }

    /**
     * Predictions asked while the model learns use the model at some version exactly: never a
     * checkpoint mixed with a training log it does not belong to. The learner checkpoints this
     * small model every few steps, and snapshots every step, which gives each version's weights.
     */
    @Test
    void shouldPredictWithAVersionOfTheLearnersModelWhileItLearns() throws Exception {
        try (LearnerFixture kafka = new LearnerFixture(1)) {
            LearnerApp app = kafka.startLearner();
            kafka.send(StreampropConfig.MODELS_TOPIC, "m", SPEC.replace("\"batchSize\": 10", "\"batchSize\": 5")
                    .replace("\"snapshotEvery\": 0", "\"snapshotEvery\": 1"));
            kafka.flush();
            kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 1);
            int examples = 1500;
            Thread producer = new Thread(() -> {
                for (int from = 0; from < examples; from += 50) {
                    sendExamples(kafka, "m", from, from + 50);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "examples-producer");
            producer.start();
            List<JsonNode> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 3000 && producer.isAlive(); i++) {
                answers.add(call(app, "POST", "/api/models/m/predict", "{\"features\": [0.5, -1.5]}", 200));
            }
            producer.join();
            kafka.awaitRecords(StreampropConfig.PREDICTIONS_TOPIC, examples);
            answers.add(call(app, "POST", "/api/models/m/predict", "{\"features\": [0.5, -1.5]}", 200));

            Map<Long, Double> expected = new HashMap<>();
            for (JsonNode snapshot : kafka.awaitRecords(StreampropConfig.SNAPSHOTS_TOPIC, 1 + examples / 5)) {
                double[] out = new double[1];
                io.streamprop.nn.ModelJson.read(snapshot.get("state")).predict(new double[] {0.5, -1.5}, out);
                expected.put(snapshot.get("version").asLong(), out[0]);
            }
            long previous = -1;
            java.util.Set<Long> versions = new java.util.TreeSet<>();
            for (JsonNode answer : answers) {
                long version = answer.get("version").asLong();
                assertTrue(version >= previous, "versions only grow: " + previous + " then " + version);
                assertEquals(expected.get(version), answer.get("output").get(0).asDouble(), "version " + version);
                versions.add(version);
                previous = version;
            }
            assertEquals(examples / 5, previous, "the last answer after the last step");
            assertTrue(versions.size() >= 3, "asked while learning: versions " + versions);
        }
    }

    private static void sendExamples(LearnerFixture kafka, String model, int from, int to) {
        for (int i = from; i < to; i++) {
            kafka.send(StreampropConfig.EXAMPLES_TOPIC, model, "{\"features\": [" + (i % 7) + ", " + (i % 3)
                    + "], \"label\": " + (i % 2) + "}");
        }
        kafka.flush();
    }

    /** Each instance exposes the models it holds, and Kafka Streams' own metrics. */
    private void assertPrometheusMetrics(LearnerApp app, Map<String, LearnerApp> owners)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(app, "GET", "/metrics", null);
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        Map<String, Double> samples = PrometheusParser.parse(response.body());
        for (Map.Entry<String, LearnerApp> e : owners.entrySet()) {
            String model = "{model=\"" + e.getKey() + "\"}";
            if (e.getValue() != app) {
                assertFalse(samples.containsKey("streamprop_model_examples_total" + model), "held by the other");
                continue;
            }
            assertEquals(EXAMPLES, samples.get("streamprop_model_examples_total" + model));
            assertEquals(EXAMPLES / 10, samples.get("streamprop_model_version" + model));
            double loss = samples.get("streamprop_model_loss" + model);
            assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
            double accuracy = samples.get("streamprop_model_accuracy" + model);
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
            assertTrue(samples.get("streamprop_model_examples_per_second" + model) >= 0);
            assertTrue(samples.get("streamprop_model_snapshot_age_seconds" + model) >= 0, "snapshot at creation");
        }
        assertEquals(0.0, samples.get("streamprop_dead_letters_total{reason=\"not_json\"}"));
        double processed = 0;
        for (Map.Entry<String, Double> s : samples.entrySet()) {
            if (s.getKey().startsWith("kafka_streams_stream_thread_metrics_process_total{")
                    && s.getKey().contains("thread_id=\"")) {
                processed += s.getValue();
            }
        }
        assertTrue(processed >= MODELS_PER_INSTANCE * EXAMPLES, "Kafka Streams' own thread metrics: " + processed);
        assertTrue(response.body().contains("# TYPE kafka_streams_stream_thread_metrics_process_rate gauge\n"));
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith(
                "kafka_streams_stream_streamprop_metrics_examples_total{")), "the learner's own sensors");
    }

    private static void awaitBothHoldTasks(LearnerApp a, LearnerApp b) throws InterruptedException {
        long deadline = System.nanoTime() + LearnerFixture.TIMEOUT.toNanos();
        while (!(a.streams().state() == KafkaStreams.State.RUNNING && b.streams().state() == KafkaStreams.State.RUNNING
                && activeTasks(a) > 0 && activeTasks(b) > 0)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the two learners did not share the tasks within " + LearnerFixture.TIMEOUT
                        + ": " + a.streams().state() + " with " + activeTasks(a) + ", " + b.streams().state()
                        + " with " + activeTasks(b));
            }
            Thread.sleep(100);
        }
    }

    private static long activeTasks(LearnerApp app) {
        return app.streams().metadataForLocalThreads().stream()
                .mapToLong((ThreadMetadata t) -> t.activeTasks().size()).sum();
    }

    /** Model ids, {@value #MODELS_PER_INSTANCE} held by each instance. */
    private static Map<String, LearnerApp> pickModels(LearnerApp a, LearnerApp b) {
        Map<String, LearnerApp> owners = new TreeMap<>();
        Map<LearnerApp, Integer> held = new HashMap<>(Map.of(a, 0, b, 0));
        for (int i = 0; held.get(a) < MODELS_PER_INSTANCE || held.get(b) < MODELS_PER_INSTANCE; i++) {
            String id = "model-" + i;
            int port = a.streams().queryMetadataForKey(StoredModels.keyedStore(), id, Serdes.String().serializer())
                    .activeHost().port();
            LearnerApp owner = port == a.httpUrl().orElseThrow().getPort() ? a : b;
            if (held.get(owner) < MODELS_PER_INSTANCE) {
                owners.put(id, owner);
                held.merge(owner, 1, Integer::sum);
            }
        }
        return owners;
    }

    private static String name(LearnerApp app) {
        URI url = app.httpUrl().orElseThrow();
        return url.getHost() + ":" + url.getPort();
    }

    private Map<String, Double> metrics(LearnerApp app) throws IOException, InterruptedException {
        HttpResponse<String> response = send(app, "GET", "/metrics", null);
        assertEquals(200, response.statusCode());
        return PrometheusParser.parse(response.body());
    }

    private JsonNode call(LearnerApp app, String method, String path, String body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(app, method, path, body);
        assertEquals(expectedStatus, response.statusCode(), method + " " + path + ": " + response.body());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        return LearnerFixture.parse(response.body());
    }

    private HttpResponse<String> send(LearnerApp app, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(app.httpUrl().orElseThrow().resolve(path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

}
