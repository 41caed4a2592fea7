package dev.weft.proxy.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.proxy.server.ProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Istio's agent status port (15020): {@code /healthz/ready} (the proxy's readiness, what 15021 answers),
 * {@code /app-health/<container>/livez|readyz|startupz} and {@code /app-lifecycle/...} (the app's original probes,
 * run by the agent), and {@code /stats/prometheus} (also {@code /metrics}): the proxy's metrics with the app's
 * appended, as Istio merges them. Each request runs on a virtual thread of its own, at most
 * {@value #MAX_CONCURRENT} at once, and every call to the app is bounded by a timeout.
 */
public final class StatusServer implements AutoCloseable {

    static final int MAX_CONCURRENT = 64;
    /** How long the app's metrics may take when the scraper says no timeout. */
    static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_SCRAPE_TIMEOUT = Duration.ofSeconds(60);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = Logger.getLogger(StatusServer.class.getName());

    /** What the status server answers from: the proxy's state, the app's probes and metrics. */
    record Sources(Supplier<ProxyServer.Readiness> readiness, Supplier<String> proxyMetrics,
            Map<String, AppProbe> probes, AppProber prober, Optional<AppMetrics> appMetrics) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Semaphore admitted = new Semaphore(MAX_CONCURRENT);
    private final Sources sources;

    private StatusServer(HttpServer server, ExecutorService threads, Sources sources) {
        this.server = server;
        this.threads = threads;
        this.sources = sources;
    }

    /** Serves on {@code port} of every address (0: any free port), as Istio's agent listens. */
    static StatusServer start(int port, Sources sources) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the status port " + port, e);
        }
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("weft-agent-status-", 0).factory());
        StatusServer status = new StatusServer(http, threads, sources);
        http.setExecutor(threads);
        http.createContext("/", status::handle);
        http.start();
        return status;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            if (!admitted.tryAcquire()) {
                send(exchange, 503, "text/plain", "the agent is busy\n");
                return;
            }
            try {
                route(exchange);
            } finally {
                admitted.release();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "status request " + exchange.getRequestURI() + " failed", e);
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            send(exchange, 405, "text/plain", "GET only\n");
        } else if (path.equals("/healthz/ready")) {
            ProxyServer.Readiness readiness = sources.readiness().get();
            send(exchange, readiness.ready() ? 200 : 503, "text/plain", readiness.state() + "\n");
        } else if (path.startsWith("/app-health/") || path.startsWith("/app-lifecycle/")) {
            AppProbe probe = sources.probes().get(path);
            if (probe == null) {
                send(exchange, 400, "text/plain", "app prober config does not exist for " + path + "\n");
                return;
            }
            AppProber.Result result = sources.prober().run(probe, headers(exchange));
            send(exchange, result.status(), "text/plain", result.body());
        } else if (path.equals("/stats/prometheus") || path.equals("/metrics")) {
            metrics(exchange);
        } else {
            send(exchange, 404, "text/plain", "unknown status endpoint " + path + "\n");
        }
    }

    /** The proxy's metrics, then the app's (its content type wins, as Istio's: OpenMetrics ends with its EOF). */
    private void metrics(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder(sources.proxyMetrics().get());
        String contentType = PROMETHEUS_TEXT;
        if (sources.appMetrics().isPresent()) {
            Map<String, String> forwarded = new LinkedHashMap<>();
            headers(exchange).forEach((name, value) -> {
                if (name.equals("accept") || name.startsWith("x-prometheus-")) {
                    forwarded.put(name, value);
                }
            });
            Optional<AppMetrics.Scrape> app = sources.appMetrics().get().scrape(forwarded, scrapeTimeout(forwarded));
            if (app.isPresent()) {
                if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
                text.append(app.get().text());
                if (!app.get().contentType().isBlank()) {
                    contentType = app.get().contentType();
                }
            }
        }
        send(exchange, 200, contentType, text.toString());
    }

    /** Prometheus says how long it waits ({@code X-Prometheus-Scrape-Timeout-Seconds}); the app gets that long. */
    private static Duration scrapeTimeout(Map<String, String> headers) {
        String seconds = headers.get("x-prometheus-scrape-timeout-seconds");
        if (seconds == null) {
            return DEFAULT_SCRAPE_TIMEOUT;
        }
        try {
            Duration asked = Duration.ofMillis((long) (Double.parseDouble(seconds) * 1000));
            return asked.isNegative() || asked.isZero() ? DEFAULT_SCRAPE_TIMEOUT
                    : asked.compareTo(MAX_SCRAPE_TIMEOUT) > 0 ? MAX_SCRAPE_TIMEOUT : asked;
        } catch (NumberFormatException e) {
            return DEFAULT_SCRAPE_TIMEOUT;
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        return headers;
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.getResponseHeaders().put("Content-Type", List.of(contentType));
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
