package dev.weft.kube.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.weft.controlplane.ca.ServingCertificate;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * weftd's admission webhooks (istiod's 15017): {@code POST /inject} and {@code POST /validate} take an
 * AdmissionReview v1 and answer one with the request's uid, over TLS with weftd's serving certificate (from its
 * own CA, renewed by its owner; each handshake takes the current one). A body that is no AdmissionReview gets 400,
 * another path 404, another method 405: the API server never sees an escaped exception.
 */
public final class WebhookServer implements AutoCloseable {

    /** Larger reviews are refused: the API server's own limit on an object is 3 MiB, its review a little more. */
    static final int MAX_BODY = 8 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(WebhookServer.class.getName());

    private final HttpsServer server;
    private final ExecutorService workers;
    private final ObjectMapper json = new ObjectMapper();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private WebhookServer(HttpsServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Serves {@code handlers} by path ({@code /inject}, {@code /validate}) on {@code address} (port 0: any). */
    public static WebhookServer start(InetSocketAddress address, ServingCertificate certificate,
            Map<String, AdmissionHandler> handlers) throws IOException {
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {certificate}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the webhooks", e);
        }
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "weftd-webhook");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        WebhookServer webhooks = new WebhookServer(server, workers);
        server.createContext("/", exchange -> webhooks.serve(exchange, handlers));
        server.start();
        return webhooks;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange, Map<String, AdmissionHandler> handlers) throws IOException {
        try (exchange) {
            AdmissionHandler handler = handlers.get(exchange.getRequestURI().getPath());
            if (handler == null) {
                reply(exchange, 404, "no webhook at " + exchange.getRequestURI().getPath());
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Allow", "POST");
                reply(exchange, 405, "POST an AdmissionReview");
                return;
            }
            JsonNode review;
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    reply(exchange, 413, "the review is larger than " + MAX_BODY + " bytes");
                    return;
                }
                review = json.readTree(bytes);
            } catch (IOException e) {
                reply(exchange, 400, "not JSON: " + e.getMessage());
                return;
            }
            JsonNode request = review == null ? null : review.get("request");
            if (request == null || !request.isObject() || !request.path("uid").isTextual()) {
                reply(exchange, 400, "not an AdmissionReview: no request with a uid");
                return;
            }
            AdmissionResponse response;
            try {
                response = handler.review(request);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "webhook " + exchange.getRequestURI().getPath() + " failed", e);
                reply(exchange, 500, "the webhook failed: " + e);
                return;
            }
            response.setUid(request.get("uid").asText());
            ObjectNode answer = json.createObjectNode();
            answer.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
            answer.put("kind", "AdmissionReview");
            answer.set("response", serialization.convertValue(response, JsonNode.class));
            byte[] bytes = json.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void reply(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
