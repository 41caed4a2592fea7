package dev.weft.examples.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Calls peer services over HTTP/1.1. With a proxy every call goes to it in absolute form
 * ({@code GET http://details:9080/details/0}, {@code Host: details:9080}), which is how the mesh's sidecar
 * receives an app's traffic in explicit capture mode; without one the call goes straight to the peer.
 */
public final class PeerClient implements AutoCloseable {
    /**
     * Building the JDK's HttpClient loads a few hundred classes; doing it beside the server's start instead of
     * before it lets the app listen (and pass its health check) sooner.
     */
    private final CompletableFuture<HttpClient> client;

    private PeerClient(CompletableFuture<HttpClient> client) {
        this.client = client;
    }

    public static PeerClient create(Optional<InetSocketAddress> proxy) {
        CompletableFuture<HttpClient> client = new CompletableFuture<>();
        Thread.ofVirtual().name("peer-client-init").start(() -> {
            try {
                HttpClient.Builder builder = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER);
                proxy.ifPresent(address -> builder.proxy(ProxySelector.of(address)));
                client.complete(builder.build());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
        return new PeerClient(client);
    }

    /** One GET with the given context headers; never throws for network trouble, it returns NoAnswer. */
    public PeerReply get(URI uri, PropagatedHeaders headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        try {
            headers.applyTo(request);
            HttpResponse<String> response = client.join().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new PeerReply.Answer(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return new PeerReply.NoAnswer("no answer from " + uri + " within " + timeout.toMillis() + "ms");
        } catch (IOException e) {
            return new PeerReply.NoAnswer("call to " + uri + " failed: " + e);
        } catch (IllegalArgumentException e) {
            return new PeerReply.NoAnswer("call to " + uri + " not sent: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PeerReply.NoAnswer("call to " + uri + " interrupted");
        }
    }

    @Override
    public void close() {
        client.thenAccept(HttpClient::shutdownNow);
    }
}
