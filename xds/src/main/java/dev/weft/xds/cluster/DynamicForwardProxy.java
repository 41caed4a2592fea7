package dev.weft.xds.cluster;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.common.dynamic_forward_proxy.v3.DnsCacheConfig;
import io.envoyproxy.envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * Envoy's dynamic forward proxy, for a local-runtime sidecar that apps dial as their HTTP proxy (no capture, so no
 * original destination): the request's authority is resolved by name when the request comes. Envoy needs the
 * cluster and the HTTP filter together, on the same DNS cache.
 */
public final class DynamicForwardProxy {

    private static final DnsCacheConfig DNS_CACHE = DnsCacheConfig.newBuilder()
            .setName("dynamic_forward_proxy_cache_config")
            .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED)
            .build();

    private DynamicForwardProxy() {
    }

    /** A dynamic forward proxy cluster of this name. */
    static Cluster.Builder cluster(String name) {
        return Cluster.newBuilder()
                .setName(name)
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                .setClusterType(Cluster.CustomClusterType.newBuilder()
                        .setName("envoy.clusters.dynamic_forward_proxy")
                        .setTypedConfig(Any.pack(
                                io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig
                                        .newBuilder().setDnsCacheConfig(DNS_CACHE).build())));
    }

    /** The HTTP filter that goes before the router of a connection manager routing to such a cluster. */
    public static HttpFilter httpFilter() {
        return HttpFilter.newBuilder().setName("envoy.filters.http.dynamic_forward_proxy")
                .setTypedConfig(Any.pack(FilterConfig.newBuilder().setDnsCacheConfig(DNS_CACHE).build()))
                .build();
    }
}
