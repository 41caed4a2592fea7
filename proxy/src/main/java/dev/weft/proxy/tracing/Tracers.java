package dev.weft.proxy.tracing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.stats.Stats;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.v3.Percent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compiles connection managers' {@code tracing} into {@link HttpTracer}s and owns the reporters they share, one per
 * collector cluster and endpoint: Envoy's Zipkin tracer (HTTP JSON) and OpenTelemetry tracer (OTLP over gRPC or
 * HTTP). The span kind follows the listener's {@code traffic_direction}, as in
 * Envoy: OUTBOUND makes CLIENT spans, INBOUND and UNSPECIFIED (gateways) SERVER spans.
 */
public final class Tracers implements AutoCloseable {

    private static final MessageType<ZipkinConfig> ZIPKIN_CONFIG = MessageType.of(
            ZipkinConfig.getDescriptor(), ZipkinConfig.parser());
    private static final MessageType<OpenTelemetryConfig> OPEN_TELEMETRY_CONFIG = MessageType.of(
            OpenTelemetryConfig.getDescriptor(), OpenTelemetryConfig.parser());

    /** How many finished spans may wait for their collector before new ones are dropped. */
    public static final int DEFAULT_QUEUE = 4096;
    private static final String ZIPKIN = "envoy.tracers.zipkin";
    private static final String OPENTELEMETRY = "envoy.tracers.opentelemetry";
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(5);

    private final LocalNode node;
    private final Stats stats;
    private final Function<String, InetSocketAddress> collectors;
    private final int queueCapacity;
    private final Function<String, String> environment;
    private final Map<String, SpanReporter> reporters = new ConcurrentHashMap<>();

    /**
     * @param collectors an endpoint of a cluster by name, or null when it has none
     * @param environment the process's environment variables, for {@code environment} custom tags
     */
    public Tracers(LocalNode node, Stats stats, Function<String, InetSocketAddress> collectors, int queueCapacity,
            Function<String, String> environment) {
        this.node = node;
        this.stats = stats;
        this.collectors = collectors;
        this.queueCapacity = queueCapacity;
        this.environment = environment;
    }

    /** Tracers for compiling config only (no proxy around it): spans find no collector and are counted as such. */
    public static Tracers detached(Stats stats) {
        return new Tracers(LocalNode.UNKNOWN, stats, cluster -> null, DEFAULT_QUEUE, System::getenv);
    }

    /** The connection manager's tracer, or null when it traces nothing (no {@code tracing}, or no provider). */
    public HttpTracer compile(HttpConnectionManager hcm, TrafficDirection direction) {
        if (!hcm.hasTracing() || !hcm.getTracing().hasProvider()) {
            return null;
        }
        HttpConnectionManager.Tracing t = hcm.getTracing();
        if (t.hasSpawnUpstreamSpan() && t.getSpawnUpstreamSpan().getValue()) {
            throw new ConfigException("tracing spawn_upstream_span is not supported");
        }
        var provider = t.getProvider();
        Any config = provider.getTypedConfig();
        SpanKind kind = direction == TrafficDirection.OUTBOUND ? SpanKind.CLIENT : SpanKind.SERVER;
        int random = rate(t.hasRandomSampling(), t.getRandomSampling());
        int client = rate(t.hasClientSampling(), t.getClientSampling());
        int overall = rate(t.hasOverallSampling(), t.getOverallSampling());
        int maxPath = t.hasMaxPathTagLength() ? t.getMaxPathTagLength().getValue() : 256;
        List<CustomTag> tags = customTags(t);
        try {
            if (ZIPKIN_CONFIG.isIn(config)) {
                ZipkinConfig zipkin = ZIPKIN_CONFIG.unpack(config);
                return new HttpTracer(kind, node, random, client, overall, maxPath, zipkin.getTraceId128Bit(),
                        !zipkin.hasSharedSpanContext() || zipkin.getSharedSpanContext().getValue(), tags,
                        Propagation.B3, zipkinReporter(zipkin));
            }
            if (OPEN_TELEMETRY_CONFIG.isIn(config)) {
                OpenTelemetryConfig otel = OPEN_TELEMETRY_CONFIG.unpack(config);
                LocalNode named = otel.getServiceName().isEmpty() ? node
                        : new LocalNode(node.nodeId(), node.zone(), otel.getServiceName());
                return new HttpTracer(kind, named, random, client, overall, maxPath, true, false, tags,
                        Propagation.W3C, openTelemetryReporter(otel));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("tracing provider '" + provider.getName() + "' does not parse: " + e.getMessage());
        }
        throw new ConfigException("tracing provider '" + provider.getName() + "' (" + config.getTypeUrl()
                + ") is not supported; " + ZIPKIN + " and " + OPENTELEMETRY + " are");
    }

    private SpanReporter zipkinReporter(ZipkinConfig zipkin) {
        if (zipkin.getCollectorCluster().isEmpty() || zipkin.getCollectorEndpoint().isEmpty()) {
            throw new ConfigException("zipkin tracing needs a collector_cluster and a collector_endpoint");
        }
        if (zipkin.getCollectorEndpointVersion() != ZipkinConfig.CollectorEndpointVersion.HTTP_JSON) {
            throw new ConfigException("zipkin collector_endpoint_version " + zipkin.getCollectorEndpointVersion()
                    + " is not supported; HTTP_JSON is");
        }
        return reporter("zipkin", zipkin.getCollectorCluster(), zipkin.getCollectorEndpoint(),
                () -> new HttpPostExporter(zipkin.getCollectorEndpoint(), "application/json", ZipkinJson::encode,
                        EXPORT_TIMEOUT));
    }

    /** OTLP over gRPC ({@code grpc_service.envoy_grpc}) or HTTP ({@code http_service}, protobuf). */
    private SpanReporter openTelemetryReporter(OpenTelemetryConfig otel) {
        if (otel.hasGrpcService()) {
            if (!otel.getGrpcService().hasEnvoyGrpc() || otel.getGrpcService().getEnvoyGrpc().getClusterName().isEmpty()) {
                throw new ConfigException("opentelemetry grpc_service needs envoy_grpc.cluster_name");
            }
            var grpc = otel.getGrpcService().getEnvoyGrpc();
            Duration timeout = otel.getGrpcService().hasTimeout() ? Durations.of(otel.getGrpcService().getTimeout())
                    : EXPORT_TIMEOUT;
            return reporter("opentelemetry", grpc.getClusterName(), "grpc:" + grpc.getAuthority(),
                    () -> new OtlpGrpcExporter(grpc.getAuthority(), timeout));
        }
        if (otel.hasHttpService()) {
            var uri = otel.getHttpService().getHttpUri();
            if (uri.getCluster().isEmpty()) {
                throw new ConfigException("opentelemetry http_service needs http_uri.cluster");
            }
            String path = path(uri.getUri());
            Duration timeout = uri.hasTimeout() ? Durations.of(uri.getTimeout()) : EXPORT_TIMEOUT;
            return reporter("opentelemetry", uri.getCluster(), path, () -> new HttpPostExporter(path,
                    "application/x-protobuf", batch -> OtlpSpans.request(batch).toByteArray(), timeout));
        }
        throw new ConfigException("opentelemetry tracing needs a grpc_service or an http_service");
    }

    /** The path of an {@code http_uri.uri} such as {@code otel.ns.svc:4318/v1/traces} or {@code http://host/v1/traces}. */
    private static String path(String uri) {
        String rest = uri.contains("://") ? uri.substring(uri.indexOf("://") + 3) : uri;
        int slash = rest.indexOf('/');
        return slash < 0 ? "/" : rest.substring(slash);
    }

    /** The reporter of one collector cluster and destination, shared by every connection manager that names it. */
    private SpanReporter reporter(String tracer, String cluster, String destination, Supplier<SpanExporter> exporter) {
        return reporters.computeIfAbsent(tracer + "|" + cluster + "|" + destination,
                key -> new SpanReporter(tracer, cluster, exporter.get(), collectors, stats, queueCapacity));
    }

    /** A percentage in ten-thousandths, as Envoy rounds it; unset is 100%. */
    private static int rate(boolean set, Percent percent) {
        if (!set) {
            return HttpTracer.FULL;
        }
        if (percent.getValue() < 0 || percent.getValue() > 100) {
            throw new ConfigException("tracing sampling must be between 0 and 100, not " + percent.getValue());
        }
        return (int) Math.round(percent.getValue() * 100);
    }

    private List<CustomTag> customTags(HttpConnectionManager.Tracing t) {
        List<CustomTag> tags = new ArrayList<>();
        for (var tag : t.getCustomTagsList()) {
            if (tag.getTag().isEmpty()) {
                throw new ConfigException("a tracing custom tag needs a name");
            }
            tags.add(switch (tag.getTypeCase()) {
                case LITERAL -> new CustomTag(tag.getTag(), null, tag.getLiteral().getValue());
                case ENVIRONMENT -> {
                    String value = environment.apply(tag.getEnvironment().getName());
                    yield new CustomTag(tag.getTag(), null, value != null ? value
                            : tag.getEnvironment().getDefaultValue().isEmpty() ? null
                            : tag.getEnvironment().getDefaultValue());
                }
                case REQUEST_HEADER -> new CustomTag(tag.getTag(), tag.getRequestHeader().getName().toLowerCase(),
                        tag.getRequestHeader().getDefaultValue().isEmpty() ? null
                                : tag.getRequestHeader().getDefaultValue());
                default -> throw new ConfigException("tracing custom tag '" + tag.getTag() + "': "
                        + tag.getTypeCase() + " tags are not supported");
            });
        }
        return tags;
    }

    @Override
    public void close() {
        reporters.values().forEach(SpanReporter::close);
    }
}
