package dev.weft.proxy.agent;

import dev.weft.proxy.config.PlainJson;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Istio's metrics merge, the app's half: the pod's original {@code prometheus.io/*} annotations, which the injector
 * hands over as {@code ISTIO_PROMETHEUS_ANNOTATIONS} when it points Prometheus at the agent, say where the app
 * serves its metrics (path {@code /metrics} and port 80 unless they say otherwise). A scrape is bounded (the
 * scraper's timeout, 10 MiB as Istio's); one that fails gives nothing, so the proxy's metrics are still served.
 *
 * @param port the app's metrics port, on localhost
 */
record AppMetrics(int port, String path) {

    /** Istio's cap on an app's metrics body. */
    static final int MAX_BODY = 10 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(AppMetrics.class.getName());

    /** The app's scraped text and its content type. */
    record Scrape(String text, String contentType) {
    }

    /**
     * The app's endpoint from {@code ISTIO_PROMETHEUS_ANNOTATIONS}; empty when unset or {@code scrape} is
     * {@code false}. Refuses a port that is the agent's own (a scrape would loop).
     */
    static Optional<AppMetrics> parse(String annotations, int statusPort) {
        if (annotations == null || annotations.isBlank()) {
            return Optional.empty();
        }
        Map<String, Object> fields = JsonVariable.object("ISTIO_PROMETHEUS_ANNOTATIONS", annotations, "annotations");
        if (PlainJson.text(fields.get("scrape"), "").equals("false")) {
            return Optional.empty();
        }
        String port = PlainJson.text(fields.get("port"), "");
        String path = PlainJson.text(fields.get("path"), "");
        int number;
        try {
            number = port.isBlank() ? 80 : Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ISTIO_PROMETHEUS_ANNOTATIONS port " + port + " is not a number");
        }
        if (number < 1 || number > 65535 || number == statusPort) {
            throw new IllegalArgumentException("ISTIO_PROMETHEUS_ANNOTATIONS port " + port
                    + " is not the app's (the agent serves " + statusPort + ": scraping it would loop)");
        }
        path = path.isBlank() ? "/metrics" : path.strip();
        return Optional.of(new AppMetrics(number, path.startsWith("/") ? path : "/" + path));
    }

    /** The app's metrics, or empty when the scrape failed (logged). */
    Optional<Scrape> scrape(Map<String, String> headers, Duration timeout) {
        try {
            BoundedHttpGet.Response response = BoundedHttpGet.fetch("127.0.0.1", port, false, path, headers, timeout,
                    MAX_BODY);
            if (response.status() != 200) {
                throw new IOException("status " + response.status());
            }
            if (response.truncated()) {
                throw new IOException("over " + MAX_BODY + " bytes");
            }
            return Optional.of(new Scrape(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8),
                    response.headers().getOrDefault("content-type", "")));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warning("failed scraping application metrics from :" + port + path + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
