package io.streamprop.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.streamprop.stats.LearningStats;
import io.streamprop.topology.StoredModels;
import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner's HTTP server, on the JDK's built-in server:
 * <ul>
 *   <li>{@code GET /}: a web page that plots each model's learning curves and throughput live;</li>
 *   <li>{@code GET /metrics}: Prometheus metrics (see {@link PrometheusText});</li>
 *   <li>{@code /api/models...}: the REST API (see {@link ModelApi}).</li>
 * </ul>
 * It is bound first, so that its port is known for Kafka Streams' {@code application.server},
 * then started once the application's {@link KafkaStreams} exists.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final int THREADS = 4;
    private static final String PAGE_RESOURCES = "/io/streamprop/web/page/";
    private static final Map<String, String> PAGE_FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css");

    private final HttpServer server;
    private final String host;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set when the server starts. */
    private volatile StoredModels models;

    private WebServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "streamprop-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    /**
     * Binds a server for {@code host}, the name under which others reach it: on the loopback
     * interface when the name is a loopback one (localhost), else on every interface.
     *
     * @param port the port, or 0 for any free one
     * @throws UncheckedIOException when the port cannot be had
     */
    public static WebServer bind(String host, int port) {
        InetSocketAddress address;
        try {
            InetAddress named = InetAddress.getByName(host);
            address = named.isLoopbackAddress() ? new InetSocketAddress(named, port) : new InetSocketAddress(port);
        } catch (IOException e) {
            // a name that only others resolve, as in a container network
            address = new InetSocketAddress(port);
        }
        try {
            return new WebServer(HttpServer.create(address, 64), host);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for " + StreampropConfig.HTTP_PORT + ": "
                    + e.getMessage() + "; set it to a free port, 0 for any free port, or -1 for no HTTP server", e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The web page's address, with the advertised host. */
    public URI url() {
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /**
     * Starts answering for {@code streams}, whose {@code application.server} is {@code self}.
     */
    public void start(KafkaStreams streams, StreampropConfig config, LearningStats stats, HostInfo self) {
        models = new StoredModels(streams, config, stats, config.streamsProperties().getProperty(
                StreamsConfig.APPLICATION_ID_CONFIG) + "-" + self.host() + "-" + self.port() + "-query-example-fetcher");
        ModelApi api = new ModelApi(streams, models, stats, self);
        server.createContext(ModelApi.PREFIX, guarded(api::handle));
        server.createContext("/metrics", guarded(exchange -> {
            String text = new PrometheusText().addKafkaMetrics(streams.metrics())
                    .addLearningStats(stats, System.currentTimeMillis()).render();
            Responses.text(exchange, 200, PrometheusText.CONTENT_TYPE, text);
        }));
        server.createContext("/", guarded(WebServer::page));
        server.start();
        log.info("Serving the web page, metrics and REST API at {} (application.server {})", url(), self);
    }

    private static void page(HttpExchange exchange) throws IOException {
        String file = PAGE_FILES.get(exchange.getRequestURI().getPath());
        if (file == null) {
            Responses.error(exchange, 404, "not_found", "no such resource: " + exchange.getRequestURI().getPath());
            return;
        }
        byte[] body;
        try (InputStream in = WebServer.class.getResourceAsStream(PAGE_RESOURCES + file)) {
            if (in == null) {
                throw new IOException("resource " + PAGE_RESOURCES + file + " is missing from the jar");
            }
            body = in.readAllBytes();
        }
        String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        Responses.send(exchange, 200, type, body);
    }

    /** The handler, turning anything it throws into a 500 answer and a warning. */
    private static HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
                log.warn("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                try {
                    Responses.error(exchange, 500, "internal_error", String.valueOf(e));
                } catch (IOException | RuntimeException ignored) {
                    // the response had begun; the client sees a cut answer
                    exchange.close();
                }
            }
        };
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        if (models != null) {
            models.close();
        }
        log.info("HTTP server at {} stopped", url());
    }
}
