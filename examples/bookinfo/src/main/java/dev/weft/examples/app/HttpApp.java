package dev.weft.examples.app;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a {@link Routes} table on the JDK's HTTP server, one virtual thread per exchange, with an access log
 * and a {@code GET /health} endpoint. Every request gets a status code: an endpoint that throws yields 500.
 */
public final class HttpApp implements RunningApp {
    /** How long in-flight requests get to finish when the app stops. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    private static final int MAX_REQUEST_BODY_BYTES = 1 << 20;

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final InFlight inFlight;
    private final List<AutoCloseable> resources;

    private HttpApp(String name, HttpServer server, ExecutorService executor, InFlight inFlight,
            List<AutoCloseable> resources) {
        this.name = name;
        this.server = server;
        this.executor = executor;
        this.inFlight = inFlight;
        this.resources = List.copyOf(resources);
    }

    /** Starts the app, logging to stdout; {@code resources} (such as its HTTP client) close with it. */
    public static HttpApp start(String name, ListenAddress listen, Routes routes, AutoCloseable... resources) {
        return start(name, listen, routes, System.out, Clock.systemUTC(), resources);
    }

    public static HttpApp start(
            String name, ListenAddress listen, Routes routes, PrintStream log, Clock clock,
            AutoCloseable... resources) {
        Routes withHealth = Routes.builder()
                .get("/health", request -> Response.json(200, Map.of("status", name + " is healthy")))
                .anyMethod("*", routes::dispatch)
                .build();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
        } catch (IOException e) {
            closeAll(name, List.of(resources));
            throw new UncheckedIOException(
                    name + " cannot listen on " + listen.host() + ":" + listen.port() + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        InFlight inFlight = new InFlight();
        List<Filter> filters = server.createContext("/", exchange -> serve(name, withHealth, exchange)).getFilters();
        filters.add(inFlight);
        filters.add(new RequestLog(name, log, clock));
        server.start();
        return new HttpApp(name, server, executor, inFlight, List.of(resources));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return server.getAddress().getAddress().getHostAddress();
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (!inFlight.awaitIdle(STOP_GRACE)) {
            System.err.println(name + ": stopping with requests still in flight after " + STOP_GRACE.toMillis() + "ms");
        }
        server.stop(0);
        executor.shutdownNow();
        closeAll(name, resources);
    }

    private static void closeAll(String name, List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println(name + ": error while closing " + resource + ": " + e);
            }
        }
    }

    private static void serve(String name, Routes routes, HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                response = Response.text(413, "request body larger than " + MAX_REQUEST_BODY_BYTES + " bytes\n");
            } else {
                response = answer(name, routes, new Request(
                        exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(), body,
                        exchange.getRemoteAddress().getAddress().getHostAddress(), Map.of()));
            }
            send(exchange, response);
        }
    }

    private static Response answer(String name, Routes routes, Request request) {
        try {
            return routes.dispatch(request);
        } catch (RuntimeException e) {
            System.err.println(name + ": " + request.method() + " " + request.uri() + " failed: " + e);
            return Response.text(500, "internal error: " + e.getClass().getSimpleName() + "\n");
        }
    }

    /** The body, or null when it is over the limit. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BODY_BYTES + 1);
        return body.length > MAX_REQUEST_BODY_BYTES ? null : body;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().putAll(response.headers());
        boolean noBody = exchange.getRequestMethod().equals("HEAD")
                || response.status() == 204 || response.status() == 304
                || (response.body().length == 0 && !response.chunked());
        if (noBody) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.chunked() ? 0 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }
}
