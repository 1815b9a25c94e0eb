package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamprop.data.SpiralStream;
import io.streamprop.testkit.HeadlessChromium;
import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The live page, in headless Chromium, while a model learns. */
@ExtendWith(KafkaCluster.class)
class WebPageTest {
    private static final String MODEL = "spirals";
    private static final String SPEC = "{\"layers\": [2, 16, 3], \"outputActivation\": \"softmax\","
            + " \"loss\": \"categorical_cross_entropy\", \"batchSize\": 10, \"seed\": 1}";
    /** Examples sent at most, in bursts of {@value #BURST} every {@value #BURST_PAUSE_MS} ms. */
    private static final int MAX_EXAMPLES = 40_000;
    private static final int BURST = 100;
    private static final long BURST_PAUSE_MS = 100;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** What the page drew, read in the page: refreshes, then per chart its points, path segments and visibility. */
    private static final String READ_CHARTS = "const out = {refreshes: Number(document.body.dataset.refreshes),"
            + " status: document.getElementById('status').textContent, charts: {}};"
            + " for (const svg of document.querySelectorAll('svg.chart')) {"
            + "   const path = svg.querySelector('path.line');"
            + "   out.charts[svg.dataset.model + '/' + svg.dataset.series] = {"
            + "     points: Number(svg.dataset.points),"
            + "     segments: path ? (path.getAttribute('d').match(/[ML]/g) || []).length : 0,"
            + "     shown: !svg.closest('.chart-box').hidden};"
            + " }"
            + " return out;";

    @Test
    void shouldDrawLearningCurvesThatGrowWhileTheModelLearns() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start(); LearnerFixture kafka = new LearnerFixture(1)) {
            LearnerApp app = kafka.startLearner();
            kafka.send(StreampropConfig.MODELS_TOPIC, MODEL, SPEC);
            kafka.flush();
            AtomicBoolean stop = new AtomicBoolean();
            Thread producer = new Thread(() -> produce(kafka, stop), "spiral-producer");
            producer.start();
            try {
                chromium.open(app.httpUrl().orElseThrow());

                JsonNode first = await(chromium, page -> points(page, "loss") >= 2);
                JsonNode second = await(chromium, page -> points(page, "loss") > points(first, "loss"));

                for (JsonNode page : new JsonNode[] {first, second}) {
                    for (String series : new String[] {"loss", "accuracy"}) {
                        JsonNode chart = page.get("charts").get(MODEL + "/" + series);
                        assertTrue(chart.get("shown").asBoolean(), series + " is shown for a classifier");
                        assertEquals(chart.get("points").asInt(), chart.get("segments").asInt(),
                                series + ": one path segment per point");
                    }
                }
                assertEquals(points(second, "loss"), points(second, "accuracy"));
                assertTrue(points(second, "throughput") >= 1, second.toString());
                assertTrue(second.get("refreshes").asInt() > first.get("refreshes").asInt());
                assertTrue(second.get("status").asText().startsWith("1 model(s) on "), second.toString());
                assertFalse(second.get("status").asText().contains("cannot"), second.toString());
                // for a person to look at; not checked
                chromium.screenshot(java.nio.file.Path.of("target", "headless-chromium", "page.png"));
            } finally {
                stop.set(true);
                producer.join();
            }
        }
    }

    private static int points(JsonNode page, String series) {
        JsonNode chart = page.path("charts").path(MODEL + "/" + series);
        return chart.isMissingNode() ? 0 : chart.get("points").asInt();
    }

    /** Reads the page until {@code done} holds; fails after {@link #WAIT}. */
    private static JsonNode await(HeadlessChromium chromium, Predicate<JsonNode> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode page = chromium.execute(READ_CHARTS);
        while (!done.test(page)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not get there within " + WAIT + "; it shows " + page);
            }
            Thread.sleep(200);
            page = chromium.execute(READ_CHARTS);
        }
        return page;
    }

    private static void produce(LearnerFixture kafka, AtomicBoolean stop) {
        SpiralStream spirals = new SpiralStream(3, 0.1, 9);
        double[] x = new double[2];
        try {
            for (int sent = 0; sent < MAX_EXAMPLES && !stop.get(); sent += BURST) {
                for (int i = 0; i < BURST; i++) {
                    int label = spirals.next(x);
                    kafka.send(StreampropConfig.EXAMPLES_TOPIC, MODEL, "{\"features\": [" + x[0] + ", " + x[1]
                            + "], \"label\": " + label + "}");
                }
                kafka.flush();
                Thread.sleep(BURST_PAUSE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
