package dev.weft.proxy.tracing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.stats.Stats;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.v3.Percent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Compiles connection managers' {@code tracing} into {@link HttpTracer}s and owns the Zipkin reporters they share,
 * one per collector cluster and endpoint. The span kind follows the listener's {@code traffic_direction}, as in
 * Envoy: OUTBOUND makes CLIENT spans, INBOUND and UNSPECIFIED (gateways) SERVER spans.
 */
public final class Tracers implements AutoCloseable {

    /** How many finished spans may wait for their collector before new ones are dropped. */
    public static final int DEFAULT_QUEUE = 4096;
    private static final String ZIPKIN = "envoy.tracers.zipkin";

    private final LocalNode node;
    private final Stats stats;
    private final Function<String, InetSocketAddress> collectors;
    private final int queueCapacity;
    private final Function<String, String> environment;
    private final Map<String, ZipkinReporter> reporters = new ConcurrentHashMap<>();

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
        var provider = t.getProvider();
        if (!provider.getTypedConfig().is(ZipkinConfig.class)) {
            throw new ConfigException("tracing provider '" + provider.getName() + "' ("
                    + provider.getTypedConfig().getTypeUrl() + ") is not supported; " + ZIPKIN + " is");
        }
        ZipkinConfig zipkin;
        try {
            zipkin = provider.getTypedConfig().unpack(ZipkinConfig.class);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("tracing provider '" + provider.getName() + "' does not parse: " + e.getMessage());
        }
        if (zipkin.getCollectorCluster().isEmpty() || zipkin.getCollectorEndpoint().isEmpty()) {
            throw new ConfigException("zipkin tracing needs a collector_cluster and a collector_endpoint");
        }
        if (zipkin.getCollectorEndpointVersion() != ZipkinConfig.CollectorEndpointVersion.HTTP_JSON) {
            throw new ConfigException("zipkin collector_endpoint_version " + zipkin.getCollectorEndpointVersion()
                    + " is not supported; HTTP_JSON is");
        }
        if (t.hasSpawnUpstreamSpan() && t.getSpawnUpstreamSpan().getValue()) {
            throw new ConfigException("tracing spawn_upstream_span is not supported");
        }
        ZipkinReporter reporter = reporters.computeIfAbsent(zipkin.getCollectorCluster() + zipkin.getCollectorEndpoint(),
                key -> new ZipkinReporter(zipkin.getCollectorCluster(), zipkin.getCollectorEndpoint(), collectors,
                        stats, queueCapacity));
        SpanKind kind = direction == TrafficDirection.OUTBOUND ? SpanKind.CLIENT : SpanKind.SERVER;
        return new HttpTracer(kind, node, rate(t.hasRandomSampling(), t.getRandomSampling()),
                rate(t.hasClientSampling(), t.getClientSampling()), rate(t.hasOverallSampling(), t.getOverallSampling()),
                t.hasMaxPathTagLength() ? t.getMaxPathTagLength().getValue() : 256, zipkin.getTraceId128Bit(),
                !zipkin.hasSharedSpanContext() || zipkin.getSharedSpanContext().getValue(), customTags(t), reporter);
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
        reporters.values().forEach(ZipkinReporter::close);
    }
}
