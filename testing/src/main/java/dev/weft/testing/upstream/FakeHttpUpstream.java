package dev.weft.testing.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on 127.0.0.1 and an ephemeral port that records what it receives and answers with a
 * configurable function. By default it echoes: status 200 (or the value of {@code x-fake-status}), after
 * {@code x-fake-delay-ms} milliseconds, with a body describing the request and a header {@code x-upstream}
 * naming this server, so a test can tell which upstream served a request.
 */
public final class FakeHttpUpstream implements AutoCloseable {

    public static final String NAME_HEADER = "x-upstream";

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile Function<RecordedRequest, FakeResponse> responder = FakeHttpUpstream::echo;

    private FakeHttpUpstream(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeHttpUpstream start(String name) {
        return new FakeHttpUpstream(name);
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Replaces how this upstream answers; the function runs on a virtual thread per request. */
    public FakeHttpUpstream respondWith(Function<RecordedRequest, FakeResponse> newResponder) {
        this.responder = newResponder;
        return this;
    }

    /** Answers with each status in turn, then keeps echoing; handy for retry tests. */
    public FakeHttpUpstream respondInSequence(int... statuses) {
        AtomicInteger next = new AtomicInteger();
        return respondWith(request -> {
            int i = next.getAndIncrement();
            return i < statuses.length ? FakeResponse.of(statuses[i], "status " + statuses[i]) : echo(request);
        });
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    /** How many different client connections the recorded requests came on. */
    public long connectionCount() {
        return requests.stream().mapToInt(RecordedRequest::clientPort).distinct().count();
    }

    /** Requests whose response was written completely. */
    public int completedCount() {
        return completed.get();
    }

    /** The highest number of requests this upstream was serving at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public static FakeResponse echo(RecordedRequest request) {
        String status = request.header("x-fake-status");
        String delay = request.header("x-fake-delay-ms");
        StringBuilder body = new StringBuilder();
        body.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocol()).append('\n');
        request.headers().forEach((k, v) -> body.append(k).append(": ").append(String.join(",", v)).append('\n'));
        body.append('\n').append(request.bodyText());
        return new FakeResponse(status == null ? 200 : Integer.parseInt(status), Map.of(),
                body.toString().getBytes(StandardCharsets.UTF_8),
                delay == null ? Duration.ZERO : Duration.ofMillis(Long.parseLong(delay)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            RecordedRequest request = record(exchange);
            requests.add(request);
            FakeResponse response = responder.apply(request);
            if (!response.delay().isZero()) {
                Thread.sleep(response.delay());
            }
            exchange.getResponseHeaders().add(NAME_HEADER, name);
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = response.body();
            boolean noBody = body.length == 0 || request.method().equals("HEAD")
                    || response.status() == 204 || response.status() == 304;
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            completed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static RecordedRequest record(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getProtocol(), headers, body, exchange.getRemoteAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Starts several upstreams named {@code prefix-0 .. prefix-(n-1)}. */
    public static List<FakeHttpUpstream> startMany(String prefix, int count) {
        List<FakeHttpUpstream> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(start(prefix + "-" + i));
        }
        return List.copyOf(all);
    }
}
