package dev.weft.proxy.upstream;

import dev.weft.proxy.tls.UpstreamTls;
import java.time.Duration;
import java.util.List;

/**
 * A validated cluster: everything the data plane needs, and nothing protobuf. {@code originalDstHeader} is the
 * request header naming the destination of an ORIGINAL_DST cluster that routes by header (null otherwise);
 * {@code localityWeighted} whether hosts are picked per locality by its weight (locality_weighted_lb_config);
 * {@code tls} the transport socket's TLS origination (null for plain text); {@code socketMatches} the
 * transport_socket_matches, tried in order against an endpoint's metadata before {@code tls}; {@code filters} its
 * upstream network filters, which tcp_proxy runs on its connections.
 */
public record ClusterConfig(String name, DiscoveryType type, LbPolicy lbPolicy, Duration connectTimeout,
        List<EndpointConfig> endpoints, CircuitBreakerThresholds circuitBreakers, OutlierDetectionConfig outlierDetection,
        HealthCheckConfig healthCheck, UpstreamProtocol protocol, Duration idleTimeout, int maxRequestsPerConnection,
        long minRingSize, Duration dnsRefreshRate, boolean ipv4Only, String originalDstHeader, boolean localityWeighted,
        UpstreamTls tls, List<SocketMatch> socketMatches, List<UpstreamNetworkFilter> filters) {

    public ClusterConfig {
        endpoints = List.copyOf(endpoints);
        socketMatches = List.copyOf(socketMatches);
        filters = List.copyOf(filters);
    }

    /** The TLS origination for connections to this endpoint: its first matching socket's, else the cluster's. */
    public UpstreamTls tlsFor(EndpointConfig endpoint) {
        for (SocketMatch match : socketMatches) {
            if (match.matches(endpoint.socketMatch())) {
                return match.tls();
            }
        }
        return tls;
    }

    /** Every TLS origination the cluster may use: for readiness and the certificate report. */
    public List<UpstreamTls> allTls() {
        List<UpstreamTls> all = new java.util.ArrayList<>();
        if (tls != null) {
            all.add(tls);
        }
        socketMatches.stream().map(SocketMatch::tls).filter(java.util.Objects::nonNull).forEach(all::add);
        return all;
    }

    /**
     * DYNAMIC_FORWARD_PROXY is Envoy's {@code envoy.clusters.dynamic_forward_proxy}: each request's authority is
     * resolved when the request comes, as an HTTP proxy does.
     */
    public enum DiscoveryType { STATIC, STRICT_DNS, LOGICAL_DNS, EDS, ORIGINAL_DST, DYNAMIC_FORWARD_PROXY }

    public enum LbPolicy { ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV, CLUSTER_PROVIDED }

    public enum UpstreamProtocol { HTTP1, HTTP2, DOWNSTREAM }

    public ClusterConfig withEndpoints(List<EndpointConfig> newEndpoints) {
        return new ClusterConfig(name, type, lbPolicy, connectTimeout, newEndpoints, circuitBreakers, outlierDetection,
                healthCheck, protocol, idleTimeout, maxRequestsPerConnection, minRingSize, dnsRefreshRate, ipv4Only,
                originalDstHeader, localityWeighted, tls, socketMatches, filters);
    }
}
