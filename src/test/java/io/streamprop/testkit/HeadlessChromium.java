package io.streamprop.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven through chromedriver's W3C WebDriver HTTP API, for tests of
 * the web page. Each instance has a new, empty profile and its own chromedriver process; closing
 * it ends both and deletes the profile. A machine without Chromium fails the test that asks for
 * it, with the command that installs it: a skipped page test would prove nothing.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--window-size=1280,1000");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Process driver;
    private final Path profile;
    private final URI base;
    private String session;

    private HeadlessChromium(Process driver, Path profile, URI base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** Starts chromedriver and a browser session. */
    public static HeadlessChromium start() throws IOException, InterruptedException {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError("this test needs headless Chromium, and " + p + " is missing: install"
                        + " Debian's packages with 'apt-get install chromium chromium-driver' (./ops/test does it)");
            }
        }
        Path profile = Files.createTempDirectory("streamprop-chromium-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path logs = Files.createDirectories(Path.of("target", "headless-chromium"));
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("chromedriver-" + port + ".log").toFile())
                .start();
        HeadlessChromium chromium = new HeadlessChromium(driver, profile, URI.create("http://127.0.0.1:" + port));
        try {
            chromium.awaitDriver();
            chromium.newSession();
            return chromium;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            chromium.close();
            throw e;
        }
    }

    /** Opens {@code url} in the browser's window; returns once the page has loaded. */
    public void open(URI url) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("url", url.toString());
        command("POST", "/session/" + session + "/url", body);
    }

    /**
     * Runs {@code script}, the body of a JavaScript function, in the page, and returns what it
     * returns, as JSON.
     */
    public JsonNode execute(String script) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return command("POST", "/session/" + session + "/execute/sync", body);
    }

    /** Saves a PNG picture of the window, for a person to look at. */
    public void screenshot(Path file) throws IOException, InterruptedException {
        String png = command("GET", "/session/" + session + "/screenshot", null).asText();
        Files.write(file, java.util.Base64.getDecoder().decode(png));
    }

    private void awaitDriver() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if (command("GET", "/status", null).path("ready").asBoolean()) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            if (!driver.isAlive()) {
                throw new AssertionError("chromedriver exited with " + driver.exitValue()
                        + "; see its log in target/headless-chromium");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("chromedriver was not ready within " + START_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private void newSession() throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode match = body.putObject("capabilities").putObject("alwaysMatch");
        match.put("browserName", "chrome");
        ObjectNode options = match.putObject("goog:chromeOptions");
        options.put("binary", CHROMIUM.toString());
        ArrayNode args = options.putArray("args");
        FLAGS.forEach(args::add);
        args.add("--user-data-dir=" + profile);
        session = command("POST", "/session", body).get("sessionId").asText();
    }

    /** Sends a WebDriver command; returns its "value", or fails with the driver's error. */
    private JsonNode command(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new AssertionError("WebDriver " + method + " " + path + " failed with " + response.statusCode() + ": "
                    + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                command("DELETE", "/session/" + session, null);
            }
        } catch (IOException | RuntimeException | Error e) {
            // the driver goes below in any case
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            deleteRecursively(profile);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
