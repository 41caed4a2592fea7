package dev.weft.proxy.upstream;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.Durations;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.tls.SecretLookup;
import dev.weft.proxy.tls.TlsContextCompiler;
import dev.weft.proxy.tls.UpstreamTls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles a {@link Cluster} proto into a {@link ClusterConfig}, or throws {@link ConfigException}. */
public final class ClusterCompiler {

    private static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private ClusterCompiler() {
    }

    /**
     * Compiles with no SDS secrets known (a TLS context naming one fails its connections until it arrives) and no
     * upstream network filters known.
     */
    public static ClusterConfig compile(Cluster c) {
        return compile(c, SecretLookup.NONE, ClusterFilterRegistry.NONE);
    }

    @SuppressWarnings("deprecation") // deprecated fields still arrive from control planes and old clients
    public static ClusterConfig compile(Cluster c, SecretLookup secrets, ClusterFilterRegistry filters) {
        if (c.getName().isEmpty()) {
            throw new ConfigException("cluster needs a name");
        }
        ClusterConfig.DiscoveryType type = c.hasClusterType() ? customType(c.getClusterType()) : switch (c.getType()) {
            case STATIC -> ClusterConfig.DiscoveryType.STATIC;
            case STRICT_DNS -> ClusterConfig.DiscoveryType.STRICT_DNS;
            case LOGICAL_DNS -> ClusterConfig.DiscoveryType.LOGICAL_DNS;
            case EDS -> ClusterConfig.DiscoveryType.EDS;
            case ORIGINAL_DST -> ClusterConfig.DiscoveryType.ORIGINAL_DST;
            default -> throw new ConfigException("unsupported cluster type " + c.getType());
        };
        ClusterConfig.LbPolicy lb = switch (c.getLbPolicy()) {
            case ROUND_ROBIN -> ClusterConfig.LbPolicy.ROUND_ROBIN;
            case LEAST_REQUEST -> ClusterConfig.LbPolicy.LEAST_REQUEST;
            case RANDOM -> ClusterConfig.LbPolicy.RANDOM;
            case RING_HASH -> ClusterConfig.LbPolicy.RING_HASH;
            case MAGLEV -> ClusterConfig.LbPolicy.MAGLEV;
            case CLUSTER_PROVIDED -> ClusterConfig.LbPolicy.CLUSTER_PROVIDED;
            default -> throw new ConfigException("unsupported lb_policy " + c.getLbPolicy());
        };
        if ((type == ClusterConfig.DiscoveryType.ORIGINAL_DST || type == ClusterConfig.DiscoveryType.DYNAMIC_FORWARD_PROXY)
                && lb != ClusterConfig.LbPolicy.CLUSTER_PROVIDED) {
            throw new ConfigException(type + " clusters need lb_policy CLUSTER_PROVIDED");
        }
        Duration connectTimeout = c.hasConnectTimeout() ? Durations.of(c.getConnectTimeout()) : Duration.ofSeconds(5);
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new ConfigException("connect_timeout must be greater than zero");
        }
        List<EndpointConfig> endpoints = endpoints(c.getLoadAssignment());
        boolean dns = type == ClusterConfig.DiscoveryType.STRICT_DNS || type == ClusterConfig.DiscoveryType.LOGICAL_DNS;
        if (dns && endpoints.stream().anyMatch(EndpointConfig::pipe)) {
            throw new ConfigException(type + " clusters resolve names: a pipe endpoint needs a STATIC or EDS cluster");
        }
        if (type == ClusterConfig.DiscoveryType.LOGICAL_DNS && endpoints.size() != 1) {
            throw new ConfigException("LOGICAL_DNS clusters need exactly one endpoint, found " + endpoints.size());
        }
        ProtocolAndIdle protocol = protocol(c);
        long minRing = c.getRingHashLbConfig().hasMinimumRingSize() ? c.getRingHashLbConfig().getMinimumRingSize().getValue() : 1024;
        Duration dnsRefresh = c.hasDnsRefreshRate() ? Durations.of(c.getDnsRefreshRate()) : Duration.ofSeconds(5);
        return new ClusterConfig(c.getName(), type, lb, connectTimeout, endpoints, circuitBreakers(c),
                c.hasOutlierDetection() ? outlier(c.getOutlierDetection()) : null,
                c.getHealthChecksCount() > 0 ? healthCheck(c.getHealthChecks(0)) : null,
                protocol.protocol(), protocol.idleTimeout(), protocol.maxRequestsPerConnection(), minRing, dnsRefresh,
                ipv4Only(c), originalDstHeader(c),
                c.getCommonLbConfig().hasLocalityWeightedLbConfig(),
                c.hasTransportSocket() ? upstreamTls(c.getTransportSocket(), secrets, protocol) : null,
                socketMatches(c, secrets, protocol), c.getFiltersList().stream().map(filters::compile).toList());
    }

    private static UpstreamTls upstreamTls(TransportSocket socket, SecretLookup secrets, ProtocolAndIdle protocol) {
        return TlsContextCompiler.upstream(socket, secrets, protocol.protocol() != ClusterConfig.UpstreamProtocol.HTTP2,
                protocol.protocol() != ClusterConfig.UpstreamProtocol.HTTP1);
    }

    private static List<SocketMatch> socketMatches(Cluster c, SecretLookup secrets, ProtocolAndIdle protocol) {
        List<SocketMatch> matches = new ArrayList<>();
        for (Cluster.TransportSocketMatch m : c.getTransportSocketMatchesList()) {
            try {
                matches.add(new SocketMatch(m.getName(), SocketMatch.strings(m.getMatch()),
                        upstreamTls(m.getTransportSocket(), secrets, protocol)));
            } catch (ConfigException e) {
                throw new ConfigException("transport_socket_matches " + m.getName() + ": " + e.getMessage());
            }
        }
        return matches;
    }

    private static final String DYNAMIC_FORWARD_PROXY = "envoy.clusters.dynamic_forward_proxy";
    /** Envoy's config message of that cluster type (its simple name is ours too). */
    private static final MessageType<io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig> DFP_CONFIG =
            MessageType.of(io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig.getDescriptor(),
                    io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig.parser());
    private static final MessageType<HttpProtocolOptions> PROTOCOL_OPTIONS = MessageType.of(
            HttpProtocolOptions.getDescriptor(), HttpProtocolOptions.parser());

    /** The one custom cluster type weft-proxy knows: Envoy's dynamic forward proxy. */
    private static ClusterConfig.DiscoveryType customType(Cluster.CustomClusterType custom) {
        if (!custom.getName().equals(DYNAMIC_FORWARD_PROXY) && !DFP_CONFIG.isIn(custom.getTypedConfig())) {
            throw new ConfigException("unsupported cluster_type " + custom.getName());
        }
        dfpConfig(custom);
        return ClusterConfig.DiscoveryType.DYNAMIC_FORWARD_PROXY;
    }

    private static io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig dfpConfig(Cluster.CustomClusterType custom) {
        try {
            var config = DFP_CONFIG.unpack(custom.getTypedConfig());
            if (!config.hasDnsCacheConfig()) {
                throw new ConfigException(DYNAMIC_FORWARD_PROXY + " needs dns_cache_config");
            }
            return config;
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException(DYNAMIC_FORWARD_PROXY + " config does not parse: " + e.getMessage());
        }
    }

    /** V4_ONLY, of the cluster or of a dynamic forward proxy's DNS cache; other families prefer IPv4. */
    private static boolean ipv4Only(Cluster c) {
        if (c.hasClusterType()) {
            return dfpConfig(c.getClusterType()).getDnsCacheConfig().getDnsLookupFamily()
                    == Cluster.DnsLookupFamily.V4_ONLY;
        }
        return c.getDnsLookupFamily() == Cluster.DnsLookupFamily.V4_ONLY;
    }

    private static String originalDstHeader(Cluster c) {
        var o = c.getOriginalDstLbConfig();
        if (!o.getUseHttpHeader()) {
            if (!o.getHttpHeaderName().isEmpty()) {
                throw new ConfigException("ORIGINAL_DST cluster: invalid config http_header_name=" + o.getHttpHeaderName()
                        + " and use_http_header is false. Set use_http_header to true if http_header_name is desired.");
            }
            return null;
        }
        return o.getHttpHeaderName().isEmpty() ? "x-envoy-original-dst-host" : o.getHttpHeaderName().toLowerCase(java.util.Locale.ROOT);
    }

    /** Endpoints of a load assignment, flattened with their priority and locality. */
    public static List<EndpointConfig> endpoints(ClusterLoadAssignment assignment) {
        List<EndpointConfig> out = new ArrayList<>();
        for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
            String where = locality.getLocality().getRegion() + "/" + locality.getLocality().getZone() + "/"
                    + locality.getLocality().getSubZone();
            for (LbEndpoint e : locality.getLbEndpointsList()) {
                var address = e.getEndpoint().getAddress();
                if (!address.hasSocketAddress() && !address.hasPipe()) {
                    throw new ConfigException("endpoint needs a socket_address or a pipe");
                }
                if (address.hasPipe() && address.getPipe().getPath().isEmpty()) {
                    throw new ConfigException("endpoint pipe needs a path");
                }
                var sa = address.getSocketAddress();
                if (!address.hasPipe() && (sa.getAddress().isEmpty() || sa.getPortValue() == 0)) {
                    throw new ConfigException("endpoint socket_address needs an address and a port_value");
                }
                if (e.getHealthStatusValue() == 2 /* UNHEALTHY */ || e.getHealthStatusValue() == 3 /* DRAINING */) {
                    continue;
                }
                int weight = e.hasLoadBalancingWeight() ? e.getLoadBalancingWeight().getValue() : 1;
                if (weight < 1) {
                    throw new ConfigException("endpoint load_balancing_weight must be at least 1");
                }
                int localityWeight = locality.hasLoadBalancingWeight() ? locality.getLoadBalancingWeight().getValue() : 0;
                Map<String, String> socketMatch = SocketMatch.metadataOf(e.getMetadata());
                out.add(address.hasPipe()
                        ? new EndpointConfig(address.getPipe().getPath(), 0, weight, locality.getPriority(), where,
                                localityWeight, true, socketMatch)
                        : new EndpointConfig(sa.getAddress(), sa.getPortValue(), weight, locality.getPriority(), where,
                                localityWeight, false, socketMatch));
            }
        }
        return out;
    }

    /**
     * Thresholds are uint32 on the wire and Istio sends 2^32-1 for "unlimited", which a Java int reads as -1;
     * anything past Integer.MAX_VALUE is as good as unlimited.
     */
    static int unsigned(int uint32) {
        return (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(uint32));
    }

    private static CircuitBreakerThresholds circuitBreakers(Cluster c) {
        for (var t : c.getCircuitBreakers().getThresholdsList()) {
            if (t.getPriority() == RoutingPriority.DEFAULT) {
                var d = CircuitBreakerThresholds.DEFAULTS;
                return new CircuitBreakerThresholds(
                        t.hasMaxConnections() ? unsigned(t.getMaxConnections().getValue()) : d.maxConnections(),
                        t.hasMaxPendingRequests() ? unsigned(t.getMaxPendingRequests().getValue()) : d.maxPendingRequests(),
                        t.hasMaxRequests() ? unsigned(t.getMaxRequests().getValue()) : d.maxRequests(),
                        t.hasMaxRetries() ? unsigned(t.getMaxRetries().getValue()) : d.maxRetries(),
                        t.getTrackRemaining());
            }
        }
        return CircuitBreakerThresholds.DEFAULTS;
    }

    private static OutlierDetectionConfig outlier(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection o) {
        return new OutlierDetectionConfig(
                o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : 5,
                o.hasConsecutiveGatewayFailure() ? o.getConsecutiveGatewayFailure().getValue() : 5,
                o.hasInterval() ? Durations.of(o.getInterval()) : Duration.ofSeconds(10),
                o.hasBaseEjectionTime() ? Durations.of(o.getBaseEjectionTime()) : Duration.ofSeconds(30),
                o.hasMaxEjectionPercent() ? o.getMaxEjectionPercent().getValue() : 10,
                o.hasMaxEjectionTime() ? Durations.of(o.getMaxEjectionTime()) : Duration.ofSeconds(300));
    }

    private static HealthCheckConfig healthCheck(io.envoyproxy.envoy.config.core.v3.HealthCheck h) {
        if (!h.hasInterval() || !h.hasTimeout()) {
            throw new ConfigException("health check needs interval and timeout");
        }
        String path = h.hasHttpHealthCheck() ? h.getHttpHealthCheck().getPath() : null;
        if (!h.hasHttpHealthCheck() && !h.hasTcpHealthCheck()) {
            throw new ConfigException("only http_health_check and tcp_health_check are supported");
        }
        return new HealthCheckConfig(Durations.of(h.getInterval()), Durations.of(h.getTimeout()),
                h.hasUnhealthyThreshold() ? h.getUnhealthyThreshold().getValue() : 1,
                h.hasHealthyThreshold() ? h.getHealthyThreshold().getValue() : 1,
                path, h.hasHttpHealthCheck() ? h.getHttpHealthCheck().getHost() : null);
    }

    private record ProtocolAndIdle(ClusterConfig.UpstreamProtocol protocol, Duration idleTimeout, int maxRequestsPerConnection) {
    }

    /** Idle upstream connections close after 50s by default: below common 60s server keep-alives, so no 503 UC race. */
    @SuppressWarnings("deprecation") // deprecated fields still arrive from control planes and old clients
    private static ProtocolAndIdle protocol(Cluster c) {
        ClusterConfig.UpstreamProtocol protocol = c.hasHttp2ProtocolOptions()
                ? ClusterConfig.UpstreamProtocol.HTTP2 : ClusterConfig.UpstreamProtocol.HTTP1;
        Duration idle = Duration.ofSeconds(50);
        int maxPerConnection = 0;
        Any any = c.getTypedExtensionProtocolOptionsMap().get(HTTP_PROTOCOL_OPTIONS);
        if (any != null) {
            HttpProtocolOptions options;
            try {
                options = PROTOCOL_OPTIONS.unpack(any);
            } catch (InvalidProtocolBufferException e) {
                throw new ConfigException("typed_extension_protocol_options " + HTTP_PROTOCOL_OPTIONS + " does not parse: " + e.getMessage());
            }
            if (options.hasExplicitHttpConfig()) {
                protocol = options.getExplicitHttpConfig().hasHttp2ProtocolOptions()
                        ? ClusterConfig.UpstreamProtocol.HTTP2 : ClusterConfig.UpstreamProtocol.HTTP1;
            } else if (options.hasUseDownstreamProtocolConfig()) {
                protocol = ClusterConfig.UpstreamProtocol.DOWNSTREAM;
            }
            if (options.getCommonHttpProtocolOptions().hasIdleTimeout()) {
                idle = Durations.of(options.getCommonHttpProtocolOptions().getIdleTimeout());
            }
            if (options.getCommonHttpProtocolOptions().hasMaxRequestsPerConnection()) {
                maxPerConnection = options.getCommonHttpProtocolOptions().getMaxRequestsPerConnection().getValue();
            }
        }
        return new ProtocolAndIdle(protocol, idle, maxPerConnection);
    }
}
