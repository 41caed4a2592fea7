package dev.weft.controlplane.debug;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.controlplane.ads.AdsServer;
import dev.weft.controlplane.ads.ProxyStatus;
import dev.weft.controlplane.ads.TypeStatus;
import dev.weft.controlplane.config.ApplyResult;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.config.AppliedConfigStore;
import dev.weft.model.ConfigError;
import dev.weft.model.Resource;
import dev.weft.xds.XdsJson;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * weftd's HTTP API: {@code POST|DELETE /apply} (YAML body) and the debug endpoints {@code /debug/syncz},
 * {@code /debug/push_status}, {@code /debug/configz}, {@code /debug/config_dump?proxyID=...} and {@code /ready}.
 * Answers JSON.
 */
public final class DebugServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DebugServer.class.getName());
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final AdsServer ads;
    private final ConfigStore config;
    private final AppliedConfigStore applied;
    private final Supplier<PushContext> push;
    private final BooleanSupplier pushSettled;

    public DebugServer(InetSocketAddress address, AdsServer ads, ConfigStore config, AppliedConfigStore applied,
            Supplier<PushContext> push, BooleanSupplier pushSettled) throws IOException {
        this.ads = ads;
        this.config = config;
        this.applied = applied;
        this.push = push;
        this.pushSettled = pushSettled;
        this.server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "weftd-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/apply", exchange -> handle(exchange, this::apply));
        server.createContext("/debug/syncz", exchange -> handle(exchange, e -> reply(e, 200, syncz())));
        server.createContext("/debug/push_status", exchange -> handle(exchange, e -> reply(e, 200, pushStatus())));
        server.createContext("/debug/configz", exchange -> handle(exchange, e -> reply(e, 200, configz())));
        server.createContext("/debug/config_dump", exchange -> handle(exchange, this::configDump));
        server.createContext("/ready", exchange -> handle(exchange, e -> reply(e, 200, json.createObjectNode().put("ready", true))));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Every request gets an answer; a bug becomes a 500 with a message, never a dropped connection. */
    private void handle(HttpExchange exchange, Handler handler) {
        try (exchange) {
            handler.handle(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "HTTP " + exchange.getRequestURI() + " failed", e);
            try {
                reply(exchange, 500, json.createObjectNode().put("error", String.valueOf(e.getMessage())));
            } catch (IOException ignored) {
                // The client went away; nothing left to tell it.
            }
        }
    }

    private void apply(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("POST") && !method.equals("DELETE")) {
            reply(exchange, 405, json.createObjectNode().put("error", "use POST to apply or DELETE to delete"));
            return;
        }
        Optional<String> body = body(exchange);
        if (body.isEmpty()) {
            reply(exchange, 413, json.createObjectNode().put("error", "body larger than " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        ApplyResult result = method.equals("POST")
                ? applied.apply(body.get(), "<apply>")
                : applied.delete(body.get(), "<delete>");
        ObjectNode out = json.createObjectNode();
        ArrayNode changed = out.putArray("changed");
        result.changed().forEach(changed::add);
        ArrayNode errors = out.putArray("errors");
        result.errors().forEach(e -> errors.add(e.toString()));
        reply(exchange, result.accepted() ? 200 : 400, out);
    }

    private static Optional<String> body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /**
     * Whether the mesh has converged: no change waiting for a push ({@code pushPending}) and every connected proxy
     * ACKed what it was sent ({@code inSync} of {@code proxies}). Settledness is read first, so a push that starts
     * after it can only make the answer "pending" on the next read, never a false "converged" now.
     */
    private ObjectNode pushStatus() {
        boolean settled = pushSettled.getAsBoolean();
        List<ProxyStatus> statuses = ads.statuses();
        List<String> notInSync = statuses.stream().filter(s -> !s.inSync()).map(ProxyStatus::proxyId).toList();
        ObjectNode out = json.createObjectNode()
                .put("pushPending", !settled)
                .put("proxies", statuses.size())
                .put("inSync", statuses.size() - notInSync.size());
        notInSync.forEach(id -> out.withArray("notInSync").add(id));
        return out;
    }

    private ArrayNode syncz() {
        ArrayNode out = json.createArrayNode();
        for (ProxyStatus status : ads.statuses()) {
            ObjectNode proxy = out.addObject()
                    .put("proxyID", status.proxyId())
                    .put("namespace", status.namespace())
                    .put("stream", status.streamKind());
            ObjectNode types = proxy.putObject("types");
            for (var type : dev.weft.controlplane.ads.XdsType.values()) {
                TypeStatus t = status.type(type);
                types.putObject(type.shortName())
                        .put("status", t.status().name())
                        .put("sent", t.sentVersion())
                        .put("acked", t.ackedVersion())
                        .put("nack", t.nackError());
            }
        }
        return out;
    }

    private ObjectNode configz() {
        ObjectNode out = json.createObjectNode();
        ArrayNode resources = out.putArray("resources");
        for (Resource<?> resource : config.snapshot().all()) {
            resources.addObject()
                    .put("kind", resource.kind().kindName())
                    .put("namespace", resource.namespace())
                    .put("name", resource.name())
                    .put("source", resource.origin().toString());
        }
        ArrayNode errors = out.putArray("errors");
        for (ConfigError error : config.errors()) {
            errors.add(error.toString());
        }
        return out;
    }

    private void configDump(HttpExchange exchange) throws IOException {
        String proxyId = query(exchange, "proxyID");
        Optional<ProxyNode> proxy = proxyId.isEmpty() ? Optional.empty() : ads.connectedProxy(proxyId);
        if (proxy.isEmpty()) {
            reply(exchange, 404, json.createObjectNode().put("error", "no connected proxy \"" + proxyId + "\""));
            return;
        }
        PushContext context = push.get();
        ObjectNode out = json.createObjectNode().put("proxyID", proxy.get().nodeId());
        dump(out.putArray("clusters"), XdsResources.clusters(context, proxy.get()));
        dump(out.putArray("endpoints"), XdsResources.endpoints(context, proxy.get()));
        dump(out.putArray("listeners"), XdsResources.listeners(context, proxy.get()));
        dump(out.putArray("routes"), XdsResources.routes(context, proxy.get()));
        reply(exchange, 200, out);
    }

    private void dump(ArrayNode into, SortedMap<String, Message> resources) throws IOException {
        for (Message resource : resources.values()) {
            into.add(json.readTree(XdsJson.print(resource)));
        }
    }

    private static String query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return "";
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
