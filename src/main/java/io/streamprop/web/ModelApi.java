package io.streamprop.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.streamprop.serde.BadRecordException;
import io.streamprop.stats.LearningCurve;
import io.streamprop.stats.LearningStats;
import io.streamprop.topology.StoredModels;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API over the models, answered from Kafka Streams' interactive queries:
 * <ul>
 *   <li>{@code GET /api/models}: every model of every instance, each instance asked over HTTP;</li>
 *   <li>{@code GET /api/models/{id}}: one model's spec, version, examples and metrics;</li>
 *   <li>{@code GET /api/models/{id}/curve}: its learning curve;</li>
 *   <li>{@code POST /api/models/{id}/predict} with {@code {"features": [...]}}: a prediction.</li>
 * </ul>
 * A request about one model is answered by the instance whose task holds the model's key, and
 * forwarded there by any other. Errors are JSON {@code {"error", "message"}}: 404 for an
 * unknown model, 400 for a bad query (with the reasons and messages of dead letters), 503 while
 * the application is rebalancing or another instance cannot be reached.
 */
final class ModelApi {
    static final String PREFIX = "/api/models";
    private static final Logger log = LoggerFactory.getLogger(ModelApi.class);
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final KafkaStreams streams;
    private final StoredModels models;
    private final LearningStats stats;
    private final HostInfo self;
    private final String selfName;
    private final Peers peers;

    private enum Action { VIEW, CURVE, PREDICT }

    ModelApi(KafkaStreams streams, StoredModels models, LearningStats stats, HostInfo self) {
        this.streams = streams;
        this.models = models;
        this.stats = stats;
        this.self = self;
        this.selfName = self.host() + ":" + self.port();
        this.peers = new Peers(self);
    }

    void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring(PREFIX.length()).split("/", -1);
        // "" -> list; "/id" -> ["", id]; "/id/curve" -> ["", id, "curve"]
        String method = exchange.getRequestMethod();
        try {
            if (parts.length == 1 && parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
                requireMethod(method, "GET");
                list(exchange);
            } else if (parts.length == 2) {
                requireMethod(method, "GET");
                one(exchange, decode(parts[1]), Action.VIEW);
            } else if (parts.length == 3 && parts[2].equals("curve")) {
                requireMethod(method, "GET");
                one(exchange, decode(parts[1]), Action.CURVE);
            } else if (parts.length == 3 && parts[2].equals("predict")) {
                requireMethod(method, "POST");
                one(exchange, decode(parts[1]), Action.PREDICT);
            } else {
                Responses.error(exchange, 404, "not_found", "no such resource: " + exchange.getRequestURI().getPath());
            }
        } catch (WrongMethodException e) {
            exchange.getResponseHeaders().set("Allow", e.getMessage());
            Responses.error(exchange, 405, "method_not_allowed", "use " + e.getMessage() + " here");
        } catch (InvalidStateStoreException | IllegalStateException e) {
            // stores not queryable (rebalancing, migrated); metadata refused (not running)
            Responses.error(exchange, 503, "unavailable", "the learner's state is not queryable now ("
                    + streams.state() + "): " + e.getMessage());
        }
    }

    /** The models of this instance, then of every other, merged. */
    private void list(HttpExchange exchange) throws IOException {
        requireRunning();
        ArrayNode all = ApiJson.MAPPER.createArrayNode();
        ArrayNode instances = ApiJson.MAPPER.createArrayNode();
        List<JsonNode> local = localModels();
        all.addAll(local);
        instances.addObject().put("instance", selfName).put("models", local.size());
        boolean complete = true;
        if (!isForwarded(exchange)) {
            Map<String, CompletableFuture<HttpResponse<byte[]>>> asked = new TreeMap<>();
            for (HostInfo peer : otherInstances()) {
                asked.put(peer.host() + ":" + peer.port(), peers.send(peer, "GET", PREFIX, null));
            }
            for (Map.Entry<String, CompletableFuture<HttpResponse<byte[]>>> e : asked.entrySet()) {
                ObjectNode instance = instances.addObject().put("instance", e.getKey());
                try {
                    HttpResponse<byte[]> response = e.getValue().join();
                    if (response.statusCode() != 200) {
                        throw new IOException("status " + response.statusCode() + ": "
                                + new String(response.body(), StandardCharsets.UTF_8));
                    }
                    JsonNode theirs = ApiJson.MAPPER.readTree(response.body()).get("models");
                    theirs.forEach(all::add);
                    instance.put("models", theirs.size());
                } catch (IOException | RuntimeException ex) {
                    complete = false;
                    instance.put("error", String.valueOf(ex.getCause() == null ? ex : ex.getCause()));
                    log.debug("Instance {} did not list its models", e.getKey(), ex);
                }
            }
        }
        List<JsonNode> sorted = new ArrayList<>();
        all.forEach(sorted::add);
        sorted.sort((a, b) -> a.get("id").asText().compareTo(b.get("id").asText()));
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putArray("models").addAll(sorted);
        body.set("instances", instances);
        body.put("complete", complete);
        Responses.json(exchange, 200, body);
    }

    private List<JsonNode> localModels() {
        long now = System.currentTimeMillis();
        List<JsonNode> out = new ArrayList<>();
        for (String id : models.localModelIds()) {
            KeyQueryMetadata where = whereIs(id);
            if (self.equals(where.activeHost())) {
                models.view(id, where.partition()).ifPresent(v ->
                        out.add(ApiJson.model(v, stats.progress(id), selfName, now)));
            }
        }
        return out;
    }

    /** Answers about one model here if this instance holds it, else forwards to the one that does. */
    private void one(HttpExchange exchange, String id, Action action) throws IOException {
        byte[] body = action == Action.PREDICT ? readBody(exchange) : null;
        if (body == null && action == Action.PREDICT) {
            Responses.error(exchange, 400, "too_large", "the request body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        requireRunning();
        KeyQueryMetadata where = whereIs(id);
        if (self.equals(where.activeHost())) {
            answer(exchange, id, where.partition(), action, body);
            return;
        }
        if (isForwarded(exchange)) {
            Responses.error(exchange, 503, "unavailable", "instance " + selfName + " does not hold model '" + id
                    + "' (" + where.activeHost() + " does); the application is probably rebalancing");
            return;
        }
        HttpResponse<byte[]> response;
        try {
            response = peers.call(where.activeHost(), exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), body);
        } catch (IOException e) {
            Responses.error(exchange, 503, "unavailable", e.getMessage());
            return;
        }
        String type = response.headers().firstValue("Content-Type").orElse(Responses.JSON);
        response.headers().firstValue("Retry-After").ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
        Responses.send(exchange, response.statusCode(), type, response.body());
    }

    private void answer(HttpExchange exchange, String id, int partition, Action action, byte[] body)
            throws IOException {
        switch (action) {
            case VIEW -> {
                Optional<StoredModels.ModelView> view = models.view(id, partition);
                if (view.isEmpty()) {
                    unknown(exchange, id);
                    return;
                }
                Responses.json(exchange, 200, ApiJson.model(view.get(), stats.progress(id), selfName,
                        System.currentTimeMillis()));
            }
            case CURVE -> {
                if (models.view(id, partition).isEmpty()) {
                    unknown(exchange, id);
                    return;
                }
                Responses.json(exchange, 200, ApiJson.curve(id, models.curve(id, partition)
                        .orElse(LearningCurve.empty()), selfName));
            }
            case PREDICT -> {
                Optional<StoredModels.Prediction> prediction;
                try {
                    prediction = models.predict(id, partition, body);
                } catch (BadRecordException e) {
                    Responses.error(exchange, 400, e.rejection().code(), e.getMessage());
                    return;
                }
                if (prediction.isEmpty()) {
                    unknown(exchange, id);
                    return;
                }
                Responses.json(exchange, 200, ApiJson.prediction(prediction.get(), selfName));
            }
        }
    }

    private void unknown(HttpExchange exchange, String id) throws IOException {
        Responses.error(exchange, 404, "unknown_model", models.unknownModelMessage(id));
    }

    private KeyQueryMetadata whereIs(String id) {
        KeyQueryMetadata where = streams.queryMetadataForKey(StoredModels.keyedStore(), id,
                Serdes.String().serializer());
        if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE) || where.activeHost() == null
                || where.activeHost().equals(HostInfo.unavailable())) {
            throw new InvalidStateStoreException("no instance holds model '" + id + "' at the moment");
        }
        return where;
    }

    private List<HostInfo> otherInstances() {
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            HostInfo h = m.hostInfo();
            if (!h.equals(self) && !h.equals(HostInfo.unavailable())) {
                others.add(h);
            }
        }
        return others;
    }

    private void requireRunning() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new InvalidStateStoreException("the learner is " + state);
        }
    }

    private static boolean isForwarded(HttpExchange exchange) {
        return exchange.getRequestHeaders().containsKey(Peers.FORWARDED_HEADER);
    }

    /** The request body, or null if it is larger than the limit. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    private static String decode(String segment) {
        // a path segment: '+' is a plus sign, not a space
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void requireMethod(String method, String expected) throws WrongMethodException {
        if (!method.equals(expected) && !(expected.equals("GET") && method.equals("HEAD"))) {
            throw new WrongMethodException(expected);
        }
    }

    private static final class WrongMethodException extends Exception {
        private static final long serialVersionUID = 1L;

        WrongMethodException(String allowed) {
            super(allowed, null, false, false);
        }
    }
}
