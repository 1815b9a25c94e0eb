package io.streamprop.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Requests to the HTTP servers of the other instances of the application, found through Kafka
 * Streams' metadata. A forwarded request carries {@value #FORWARDED_HEADER}, and an instance
 * answers such a request itself, so that a request is forwarded at most once.
 */
final class Peers {
    static final String FORWARDED_HEADER = "X-Streamprop-Forwarded-By";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    private final String self;

    Peers(HostInfo self) {
        this.self = self.host() + ":" + self.port();
    }

    /** Sends {@code method pathAndQuery} with {@code body} (null for none) to {@code peer}. */
    CompletableFuture<HttpResponse<byte[]>> send(HostInfo peer, String method, String pathAndQuery, byte[] body) {
        URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery);
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header(FORWARDED_HEADER, self)
                .header("Content-Type", Responses.JSON)
                .method(method, publisher)
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** As {@link #send}, waiting for the answer. */
    HttpResponse<byte[]> call(HostInfo peer, String method, String pathAndQuery, byte[] body) throws IOException {
        try {
            return send(peer, method, pathAndQuery, body).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("instance " + peer.host() + ":" + peer.port() + " did not answer: " + cause, cause);
        }
    }
}
