package dev.weft.proxy.server;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.weft.proxy.admin.AdminHandler;
import dev.weft.proxy.admin.AdminResponse;
import dev.weft.proxy.bootstrap.TypeRegistries;
import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.UpstreamCluster;
import com.google.protobuf.Timestamp;
import dev.weft.proxy.listener.ListenerConfig;
import dev.weft.proxy.tls.CertificateReport;
import dev.weft.proxy.tls.DownstreamTls;
import dev.weft.proxy.tls.SecretManager;
import dev.weft.proxy.tls.SecretRedaction;
import dev.weft.proxy.tls.UpstreamTls;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.Certificates;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The admin endpoints, in Envoy's shapes, over a running {@link ProxyServer}. */
final class AdminView implements AdminHandler {

    /** Envoy's admin prints proto field names (snake_case), not proto3 JSON's lowerCamelCase. */
    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames().usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder()
                    .add(TypeRegistries.descriptors())
                    .add(BootstrapConfigDump.getDescriptor())
                    .add(ClustersConfigDump.getDescriptor())
                    .add(ListenersConfigDump.getDescriptor())
                    .add(RoutesConfigDump.getDescriptor())
                    .add(SecretsConfigDump.getDescriptor())
                    .build());

    private final ProxyServer server;

    AdminView(ProxyServer server) {
        this.server = server;
    }

    @Override
    public AdminResponse handle(String method, String path, Map<String, List<String>> query) {
        return switch (path) {
            case "/ready" -> ready();
            case "/config_dump" -> configDump();
            case "/certs" -> certs();
            case "/clusters" -> AdminResponse.text(200, clusters());
            case "/listeners" -> AdminResponse.text(200, listeners());
            case "/stats" -> stats(query);
            case "/stats/prometheus" -> new AdminResponse(200, "text/plain; version=0.0.4", server.prometheusText());
            case "/logging" -> logging(method, query);
            case "/healthcheck/fail" -> post(method, () -> server.setHealthFailed(true));
            case "/healthcheck/ok" -> post(method, () -> server.setHealthFailed(false));
            case "/drain_listeners" -> post(method, server::drainListeners);
            case "/quitquitquit" -> quit(method);
            case "/xds/reconnect" -> reconnect(method);
            case "/runtime" -> AdminResponse.json(RuntimeView.dump(server.runtime()));
            case "/runtime_modify" -> post(method, () -> query.forEach((key, values) ->
                    server.runtime().set(key, values.getLast())));
            default -> AdminResponse.text(404, "unknown admin endpoint " + path + "\n");
        };
    }

    private AdminResponse ready() {
        ProxyServer.Readiness readiness = server.readiness();
        return AdminResponse.text(readiness.ready() ? 200 : 503, readiness.state() + "\n");
    }

    /** weft's own endpoint: the ADS server is back, so a reconnect waiting out its back-off should not wait. */
    private AdminResponse reconnect(String method) {
        if (!method.equals("POST")) {
            return AdminResponse.text(405, "this endpoint needs POST\n");
        }
        return AdminResponse.text(200, server.reconnectXds() ? "reconnecting\n" : "not waiting to reconnect\n");
    }

    private AdminResponse quit(String method) {
        AdminResponse answer = post(method, () -> { });
        return answer.status() == 200 ? answer.thenRun(server::close) : answer;
    }

    private static AdminResponse post(String method, Runnable action) {
        if (!method.equals("POST")) {
            return AdminResponse.text(405, "this endpoint needs POST\n");
        }
        action.run();
        return AdminResponse.text(200, "OK\n");
    }

    private AdminResponse configDump() {
        ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder();
        server.clusterManager().protos().forEach((name, c) -> {
            if (server.clusterManager().isStatic(name)) {
                clusters.addStaticClusters(ClustersConfigDump.StaticCluster.newBuilder()
                        .setCluster(Any.pack(SecretRedaction.of(c))));
            } else {
                clusters.addDynamicActiveClusters(ClustersConfigDump.DynamicCluster.newBuilder()
                        .setCluster(Any.pack(SecretRedaction.of(c))));
            }
        });
        ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder();
        List<String> warming = server.listeners().warming();
        server.listeners().protos().forEach((name, l) -> {
            if (server.listeners().isStatic(name)) {
                listeners.addStaticListeners(ListenersConfigDump.StaticListener.newBuilder()
                        .setListener(Any.pack(SecretRedaction.of(l))));
            } else {
                var state = ListenersConfigDump.DynamicListenerState.newBuilder().setListener(Any.pack(SecretRedaction.of(l)));
                var dynamic = ListenersConfigDump.DynamicListener.newBuilder().setName(name);
                if (warming.contains(name)) {
                    dynamic.setWarmingState(state);
                } else {
                    dynamic.setActiveState(state);
                }
                listeners.addDynamicListeners(dynamic);
            }
        });
        RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
        server.routeTables().protos().values().forEach(rc -> routes.addDynamicRouteConfigs(
                RoutesConfigDump.DynamicRouteConfig.newBuilder().setRouteConfig(Any.pack(rc))));
        ConfigDump dump = ConfigDump.newBuilder()
                .addConfigs(Any.pack(BootstrapConfigDump.newBuilder().setBootstrap(SecretRedaction.of(server.bootstrap())).build()))
                .addConfigs(Any.pack(clusters.build()))
                .addConfigs(Any.pack(listeners.build()))
                .addConfigs(Any.pack(routes.build()))
                .addConfigs(Any.pack(secrets()))
                .build();
        try {
            return AdminResponse.json(JSON.print(dump));
        } catch (InvalidProtocolBufferException e) {
            return AdminResponse.text(500, "config dump failed: " + e.getMessage() + "\n");
        }
    }

    /** Static and pushed secrets (private keys redacted), and as warming the ones listeners still wait for. */
    private SecretsConfigDump secrets() {
        SecretManager secrets = server.secretManager();
        SecretsConfigDump.Builder b = SecretsConfigDump.newBuilder();
        secrets.protos().forEach((name, secret) -> {
            Any packed = Any.pack(SecretRedaction.of(secret));
            Timestamp updated = timestamp(secrets.lastUpdated(name));
            if (secrets.isStatic(name)) {
                b.addStaticSecrets(SecretsConfigDump.StaticSecret.newBuilder().setName(name).setLastUpdated(updated)
                        .setSecret(packed));
            } else {
                b.addDynamicActiveSecrets(SecretsConfigDump.DynamicSecret.newBuilder().setName(name)
                        .setLastUpdated(updated).setSecret(packed));
            }
        });
        server.listeners().warmingSecrets().forEach(name -> b.addDynamicWarmingSecrets(
                SecretsConfigDump.DynamicSecret.newBuilder().setName(name)));
        return b.build();
    }

    private static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** Envoy's /certs: one entry per TLS context of the serving listeners and of the clusters. */
    private AdminResponse certs() {
        Instant now = server.clock().instant();
        Certificates.Builder b = Certificates.newBuilder();
        for (ListenerConfig l : server.listeners().active()) {
            l.tlsContexts().stream().filter(DownstreamTls::ready).forEach(t -> b.addCertificates(CertificateReport.of(t, now)));
        }
        for (UpstreamCluster c : new TreeMap<>(server.snapshot().clusters()).values()) {
            for (UpstreamTls tls : c.config().allTls()) {
                if (tls.ready()) {
                    b.addCertificates(CertificateReport.of(tls, now));
                }
            }
        }
        try {
            return AdminResponse.json(JSON.print(b.build()));
        } catch (InvalidProtocolBufferException e) {
            return AdminResponse.text(500, "certs failed: " + e.getMessage() + "\n");
        }
    }

    private String clusters() {
        StringBuilder out = new StringBuilder();
        for (UpstreamCluster c : new TreeMap<>(server.snapshot().clusters()).values()) {
            String n = c.name();
            var cb = c.config().circuitBreakers();
            out.append(n).append("::observability_name::").append(n).append('\n');
            out.append(n).append("::default_priority::max_connections::").append(cb.maxConnections()).append('\n');
            out.append(n).append("::default_priority::max_pending_requests::").append(cb.maxPendingRequests()).append('\n');
            out.append(n).append("::default_priority::max_requests::").append(cb.maxRequests()).append('\n');
            out.append(n).append("::default_priority::max_retries::").append(cb.maxRetries()).append('\n');
            for (Host h : c.hosts()) {
                String p = n + "::" + h.label() + "::";
                out.append(p).append("rq_active::").append(h.activeRequests().get()).append('\n');
                out.append(p).append("health_flags::").append(healthFlags(h)).append('\n');
                out.append(p).append("weight::").append(h.weight()).append('\n');
                out.append(p).append("priority::").append(h.config().priority()).append('\n');
            }
        }
        return out.toString();
    }

    private static String healthFlags(Host h) {
        if (h.healthy()) {
            return "healthy";
        }
        StringBuilder s = new StringBuilder();
        if (h.failedActiveHealthCheck()) {
            s.append("/failed_active_hc");
        }
        if (h.isEjected()) {
            s.append(s.isEmpty() ? "" : "|").append("/failed_outlier_check");
        }
        return s.toString();
    }

    private String listeners() {
        StringBuilder out = new StringBuilder();
        server.listeners().addresses().forEach((name, a) ->
                out.append(name).append("::").append(a.getHostString()).append(':').append(a.getPort()).append('\n'));
        return out.toString();
    }


    private AdminResponse stats(Map<String, List<String>> query) {
        Pattern filter = null;
        List<String> f = query.get("filter");
        if (f != null && !f.isEmpty()) {
            try {
                filter = Pattern.compile(f.get(0));
            } catch (PatternSyntaxException e) {
                return AdminResponse.text(400, "invalid filter regex: " + e.getDescription() + "\n");
            }
        }
        Map<String, Long> all = new TreeMap<>(server.stats().counterSnapshot());
        all.putAll(server.stats().gaugeSnapshot());
        StringBuilder out = new StringBuilder();
        for (var e : all.entrySet()) {
            if (filter == null || filter.matcher(e.getKey()).find()) {
                out.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        // Envoy lists histograms after counters and gauges, as quantiles.
        for (var e : server.stats().histogramSnapshot().entrySet()) {
            if (filter == null || filter.matcher(e.getKey()).find()) {
                out.append(e.getKey()).append(": ").append(e.getValue().envoyQuantiles()).append('\n');
            }
        }
        return AdminResponse.text(200, out.toString());
    }

    private static AdminResponse logging(String method, Map<String, List<String>> query) {
        Logger root = Logger.getLogger("dev.weft");
        List<String> level = query.get("level");
        if (level != null && !level.isEmpty()) {
            if (!method.equals("POST")) {
                return AdminResponse.text(405, "changing log levels needs POST\n");
            }
            Level l = switch (level.get(0).toLowerCase(Locale.ROOT)) {
                case "trace" -> Level.FINEST;
                case "debug" -> Level.FINE;
                case "info" -> Level.INFO;
                case "warning", "warn" -> Level.WARNING;
                case "error", "critical" -> Level.SEVERE;
                case "off" -> Level.OFF;
                default -> null;
            };
            if (l == null) {
                return AdminResponse.text(400, "unknown level " + level.get(0)
                        + "; use trace, debug, info, warning, error, critical or off\n");
            }
            root.setLevel(l);
        }
        Level now = root.getLevel() == null ? Level.INFO : root.getLevel();
        return AdminResponse.text(200, "active loggers:\n  dev.weft: " + now.getName().toLowerCase(Locale.ROOT) + "\n");
    }
}
