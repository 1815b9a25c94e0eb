package io.streamprop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.topology.StreampropConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** A learner that cannot reach its cluster serves its page and metrics, and says its models are unavailable. */
class WebUnavailableTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void shouldAnswer503AboutModelsUntilTheLearnerRuns() throws Exception {
        Path state = Files.createTempDirectory("streamprop-unavailable-");
        // nothing listens on port 1: the learner stays where it starts, rebalancing
        try (LearnerApp app = new LearnerApp(StreampropConfig.of(Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                StreamsConfig.APPLICATION_ID_CONFIG, "unavailable-test",
                StreamsConfig.STATE_DIR_CONFIG, state.toString(),
                StreampropConfig.HTTP_PORT, "0"))).start()) {
            URI url = app.httpUrl().orElseThrow();
            assertNotEquals(KafkaStreams.State.RUNNING, app.streams().state());

            for (String path : new String[] {"api/models", "api/models/m", "api/models/m/curve"}) {
                HttpResponse<String> response = get(url.resolve(path));
                assertEquals(503, response.statusCode(), path + ": " + response.body());
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
                assertTrue(response.body().contains("\"error\":\"unavailable\""), response.body());
            }
            HttpResponse<String> page = get(url);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"app.js\"></script>"));
            assertEquals(200, get(url.resolve("app.js")).statusCode());
            assertEquals(200, get(url.resolve("metrics")).statusCode());
            assertEquals(404, get(url.resolve("nothing-here")).statusCode());
        } finally {
            LearnerFixture.deleteRecursively(state);
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
