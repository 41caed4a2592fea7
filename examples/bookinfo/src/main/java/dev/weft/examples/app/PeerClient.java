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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
                client.complete(newClient(proxy));
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
        return new PeerClient(client);
    }

    private static HttpClient newClient(Optional<InetSocketAddress> proxy) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        proxy.ifPresent(address -> builder.proxy(ProxySelector.of(address)));
        return builder.build();
    }

    /**
     * In the background, sends one GET to the app's own health endpoint, so that the first real call does not
     * pay for class loading and a cold JIT (over a second on a busy machine, a third of Istio's 3 s timeout).
     * It goes direct, never through the proxy: the sidecar has no route for the app's own address.
     */
    public void warmUp(URI ownHealth) {
        Thread.ofVirtual().name("peer-client-warm-up").start(() -> {
            try (HttpClient direct = newClient(Optional.empty())) {
                direct.send(HttpRequest.newBuilder(ownHealth).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException | RuntimeException e) {
                // Only a warm-up: the app works the same without it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * One GET with the given context headers. The timeout bounds the whole call, body included (the JDK's
     * request timeout alone stops at the response headers). Never throws for network trouble: it returns
     * NoAnswer.
     */
    public PeerReply get(URI uri, PropagatedHeaders headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        CompletableFuture<HttpResponse<String>> call = null;
        try {
            headers.applyTo(request);
            call = client.join().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new PeerReply.Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            return new PeerReply.NoAnswer(noAnswerWithin(uri, timeout));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                return new PeerReply.NoAnswer(noAnswerWithin(uri, timeout));
            }
            return new PeerReply.NoAnswer("call to " + uri + " failed: " + e.getCause());
        } catch (IllegalArgumentException e) {
            return new PeerReply.NoAnswer("call to " + uri + " not sent: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PeerReply.NoAnswer("call to " + uri + " interrupted");
        } finally {
            if (call != null) {
                // Cancelling a finished call does nothing; an unfinished one is aborted and its connection freed.
                call.cancel(true);
            }
        }
    }

    private static String noAnswerWithin(URI uri, Duration timeout) {
        return "no answer from " + uri + " within " + timeout.toMillis() + "ms";
    }

    @Override
    public void close() {
        client.thenAccept(HttpClient::shutdownNow);
    }
}
