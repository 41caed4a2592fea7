package dev.weft.xds.telemetry;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UInt32Value;
import dev.weft.model.telemetry.CustomTag;
import dev.weft.model.telemetry.ProviderRef;
import dev.weft.model.telemetry.Telemetry;
import dev.weft.model.telemetry.WorkloadMode;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HttpService;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing.Http;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag.Environment;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag.Header;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag.Literal;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A proxy's tracing, as Istio's {@code configureTracingFromTelemetry} writes it into every HTTP connection manager:
 * the Telemetry levels' {@code tracing} sections whose {@code match.mode} fits the traffic (CLIENT for outbound
 * listeners and gateways, SERVER for inbound ones), merged widest first (a narrower level's providers, sampling
 * percentage and span-reporting switch replace the wider one's; custom tags merge by name); without providers,
 * meshConfig.defaultProviders.tracing. The first provider must be a zipkin or opentelemetry extension provider whose
 * service is in the registry: its collector is the cluster {@code outbound|<port>||<host>}. Sampling is the Telemetry's
 * percentage, else defaultConfig.tracing.sampling, else Istio's 1%. Spans carry Istio's tags (canonical service and
 * revision, mesh id, namespace) unless {@code enableIstioTags} is false, and the Telemetry's custom tags.
 *
 * <p>Without a Telemetry tracing section or default provider, or with span reporting disabled, connection managers
 * get no {@code tracing}, so weft-proxy passes trace headers through untouched. Istio's legacy path (meshConfig
 * {@code enableTracing} with a tracer in the proxy's bootstrap) has no counterpart.
 */
public final class ProxyTracing {

    static final double ISTIO_DEFAULT_SAMPLING = 1.0;
    private static final String ZIPKIN = "envoy.tracers.zipkin";
    private static final String OPENTELEMETRY = "envoy.tracers.opentelemetry";
    private static final String ZIPKIN_PATH = "/api/v2/spans";

    private final Optional<HttpConnectionManager.Tracing> client;
    private final Optional<HttpConnectionManager.Tracing> server;

    private ProxyTracing(Optional<HttpConnectionManager.Tracing> client, Optional<HttpConnectionManager.Tracing> server) {
        this.client = client;
        this.server = server;
    }

    public static ProxyTracing of(PushContext push, ProxyNode proxy) {
        TelemetryLevels levels = push.telemetryFor(proxy);
        return new ProxyTracing(tracing(push, proxy, levels, WorkloadMode.CLIENT),
                tracing(push, proxy, levels, WorkloadMode.SERVER));
    }

    /** The connection managers' tracing for traffic in a direction (UNSPECIFIED: a gateway's, which is CLIENT's). */
    public Optional<HttpConnectionManager.Tracing> forDirection(TrafficDirection direction) {
        return direction == TrafficDirection.INBOUND ? server : client;
    }

    /**
     * The listener with tracing on its connection managers and, when it traces, the traffic direction set, which
     * tells the proxy whether its spans are SERVER or CLIENT spans (Envoy reads it from there too).
     */
    public Listener apply(Listener listener, TrafficDirection direction) {
        Optional<HttpConnectionManager.Tracing> tracing = forDirection(direction);
        if (tracing.isEmpty()) {
            return listener;
        }
        Listener.Builder traced = listener.toBuilder().setTrafficDirection(direction);
        traced.getFilterChainsBuilderList().forEach(chain -> trace(chain, tracing.get()));
        if (traced.hasDefaultFilterChain()) {
            trace(traced.getDefaultFilterChainBuilder(), tracing.get());
        }
        return traced.build();
    }

    private static void trace(FilterChain.Builder chain, HttpConnectionManager.Tracing tracing) {
        for (Filter.Builder filter : chain.getFiltersBuilderList()) {
            if (!filter.getTypedConfig().is(HttpConnectionManager.class)) {
                continue;
            }
            try {
                HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
                filter.setTypedConfig(Any.pack(hcm.toBuilder().setTracing(tracing).build()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a generated connection manager does not parse", e);
            }
        }
    }

    /** The Telemetry tracing sections for one mode, merged widest first. */
    private record Merged(boolean configured, List<String> providers, Optional<Double> sampling,
            boolean spanReportingDisabled, Map<String, CustomTag> customTags, boolean istioTags) {

        static Merged of(TelemetryLevels levels, WorkloadMode mode) {
            boolean configured = false;
            List<String> providers = List.of();
            Optional<Double> sampling = Optional.empty();
            boolean disabled = false;
            boolean istioTags = true;
            Map<String, CustomTag> tags = new TreeMap<>();
            for (Telemetry telemetry : levels.widestFirst()) {
                for (dev.weft.model.telemetry.Tracing section : orEmpty(telemetry.tracing())) {
                    if (!matches(section, mode)) {
                        continue;
                    }
                    configured = true;
                    if (section.providers() != null && !section.providers().isEmpty()) {
                        providers = section.providers().stream().map(ProviderRef::name).toList();
                    }
                    if (section.randomSamplingPercentage() != null) {
                        sampling = Optional.of(section.randomSamplingPercentage());
                    }
                    if (section.disableSpanReporting() != null) {
                        disabled = section.disableSpanReporting();
                    }
                    if (section.customTags() != null) {
                        tags.putAll(section.customTags());
                    }
                    if (section.enableIstioTags() != null) {
                        istioTags = section.enableIstioTags();
                    }
                }
            }
            return new Merged(configured, providers, sampling, disabled, tags, istioTags);
        }

        private static boolean matches(dev.weft.model.telemetry.Tracing section, WorkloadMode mode) {
            WorkloadMode selected = section.match() == null || section.match().mode() == null
                    ? WorkloadMode.CLIENT_AND_SERVER : section.match().mode();
            return selected == WorkloadMode.CLIENT_AND_SERVER || selected == mode;
        }
    }

    private static Optional<HttpConnectionManager.Tracing> tracing(PushContext push, ProxyNode proxy,
            TelemetryLevels levels, WorkloadMode mode) {
        MeshSettings.Tracing mesh = push.mesh().tracing();
        Merged merged = Merged.of(levels, mode);
        if (!merged.configured() && mesh.defaultProviders().isEmpty()) {
            return Optional.empty();
        }
        List<String> providers = merged.providers().isEmpty() ? mesh.defaultProviders() : merged.providers();
        if (providers.isEmpty() || merged.spanReportingDisabled()) {
            return Optional.empty();
        }
        String name = providers.getFirst();
        Optional<Provider> provider = zipkin(push, name).or(() -> openTelemetry(push, proxy, name));
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        double sampling = merged.sampling().or(mesh::sampling).orElse(ISTIO_DEFAULT_SAMPLING);
        HttpConnectionManager.Tracing.Builder tracing = HttpConnectionManager.Tracing.newBuilder()
                .setProvider(provider.get().tracer())
                .setClientSampling(Percent.newBuilder().setValue(100))
                .setRandomSampling(Percent.newBuilder().setValue(sampling))
                .setOverallSampling(Percent.newBuilder().setValue(100))
                .addAllCustomTags(customTags(push, proxy, merged))
                .setSpawnUpstreamSpan(BoolValue.of(false));
        if (provider.get().maxTagLength() > 0) {
            tracing.setMaxPathTagLength(UInt32Value.of(provider.get().maxTagLength()));
        }
        return Optional.of(tracing.build());
    }

    /** A tracer for the connection manager, and the longest tag it writes (0 for Envoy's default). */
    private record Provider(Http tracer, int maxTagLength) {
    }

    /** Istio's zipkin provider: 128-bit trace ids unless asked otherwise, no shared span context. */
    private static Optional<Provider> zipkin(PushContext push, String name) {
        Optional<MeshSettings.ZipkinProvider> zipkin = push.mesh().tracing().zipkin().stream()
                .filter(z -> z.name().equals(name)).findFirst();
        return zipkin.flatMap(z -> collectorService(push, z.service()).map(service -> {
            String host = service.hostname();
            ZipkinConfig config = ZipkinConfig.newBuilder()
                    .setCollectorCluster(ClusterNames.outbound(z.port(), "", host))
                    .setCollectorEndpoint(z.path().isEmpty() ? ZIPKIN_PATH : z.path())
                    .setCollectorEndpointVersion(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON)
                    .setCollectorHostname(host)
                    .setTraceId128Bit(!z.traceId64Bit())
                    .setSharedSpanContext(BoolValue.of(false))
                    .build();
            return new Provider(Http.newBuilder().setName(ZIPKIN).setTypedConfig(Any.pack(config)).build(),
                    z.maxTagLength());
        }));
    }

    /**
     * Istio's opentelemetry provider: OTLP over gRPC to the service (its host as authority), or over HTTP to
     * {@code <host>/<path>} when it has {@code http}; the resource's service name is the workload's canonical service
     * and namespace.
     */
    private static Optional<Provider> openTelemetry(PushContext push, ProxyNode proxy, String name) {
        Optional<MeshSettings.OpenTelemetryProvider> otel = push.mesh().tracing().openTelemetry().stream()
                .filter(o -> o.name().equals(name)).findFirst();
        return otel.flatMap(o -> collectorService(push, o.service()).map(service -> {
            String host = service.hostname();
            String cluster = ClusterNames.outbound(o.port(), "", host);
            OpenTelemetryConfig.Builder config = OpenTelemetryConfig.newBuilder()
                    .setServiceName(canonicalService(proxy) + "." + proxy.namespace());
            if (o.httpPath().isPresent()) {
                String path = o.httpPath().get();
                config.setHttpService(HttpService.newBuilder().setHttpUri(HttpUri.newBuilder()
                        .setUri(host + (path.startsWith("/") ? path : "/" + path))
                        .setCluster(cluster)
                        .setTimeout(com.google.protobuf.Duration.newBuilder()
                                .setSeconds(o.httpTimeout().toSeconds()).setNanos(o.httpTimeout().toNanosPart()))));
            } else {
                config.setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                        .setClusterName(cluster).setAuthority(host)));
            }
            return new Provider(Http.newBuilder().setName(OPENTELEMETRY).setTypedConfig(Any.pack(config.build()))
                    .build(), o.maxTagLength());
        }));
    }

    /** The provider's service: {@code <namespace>/<host>}, or a host only one namespace declares. */
    private static Optional<Service> collectorService(PushContext push, String service) {
        int slash = service.indexOf('/');
        String host = service.substring(slash + 1);
        List<Service> candidates = push.servicesNamed(host).stream()
                .filter(s -> slash < 0 || s.namespace().equals(service.substring(0, slash)))
                .toList();
        return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
    }

    /** Istio's service tags and the Telemetry's custom tags, sorted by name as Istio sorts them. */
    private static List<io.envoyproxy.envoy.type.tracing.v3.CustomTag> customTags(PushContext push, ProxyNode proxy,
            Merged merged) {
        List<io.envoyproxy.envoy.type.tracing.v3.CustomTag> tags = new ArrayList<>();
        if (merged.istioTags()) {
            Map<String, String> labels = proxy.labels();
            tags.add(literal("istio.canonical_revision", firstLabel(labels, "latest",
                    "service.istio.io/canonical-revision", "app.kubernetes.io/version", "version")));
            tags.add(literal("istio.canonical_service", canonicalService(proxy)));
            tags.add(literal("istio.mesh_id", push.mesh().trustDomain()));
            tags.add(literal("istio.namespace", proxy.namespace()));
        }
        merged.customTags().forEach((name, tag) -> {
            var envoyTag = io.envoyproxy.envoy.type.tracing.v3.CustomTag.newBuilder().setTag(name);
            if (tag.literal() != null) {
                envoyTag.setLiteral(Literal.newBuilder().setValue(orEmpty(tag.literal().value())));
            } else if (tag.environment() != null) {
                envoyTag.setEnvironment(Environment.newBuilder().setName(orEmpty(tag.environment().name()))
                        .setDefaultValue(orEmpty(tag.environment().defaultValue())));
            } else if (tag.header() != null) {
                envoyTag.setRequestHeader(Header.newBuilder().setName(orEmpty(tag.header().name()))
                        .setDefaultValue(orEmpty(tag.header().defaultValue())));
            } else {
                return;
            }
            tags.add(envoyTag.build());
        });
        tags.sort(Comparator.comparing(io.envoyproxy.envoy.type.tracing.v3.CustomTag::getTag));
        return tags;
    }

    /** Istio's canonical service of a workload: its canonical-name label, else its app name, else its name. */
    private static String canonicalService(ProxyNode proxy) {
        return firstLabel(proxy.labels(), proxy.workloadName(), "service.istio.io/canonical-name",
                "app.kubernetes.io/name", "app");
    }

    private static io.envoyproxy.envoy.type.tracing.v3.CustomTag literal(String tag, String value) {
        return io.envoyproxy.envoy.type.tracing.v3.CustomTag.newBuilder().setTag(tag)
                .setLiteral(Literal.newBuilder().setValue(value)).build();
    }

    private static String firstLabel(Map<String, String> labels, String otherwise, String... keys) {
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return otherwise;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
