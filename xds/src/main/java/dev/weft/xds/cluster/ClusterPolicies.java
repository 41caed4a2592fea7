package dev.weft.xds.cluster;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.weft.model.networking.ConnectionPoolSettings;
import dev.weft.model.networking.ConsistentHashLB;
import dev.weft.model.networking.HTTPSettings;
import dev.weft.model.networking.LoadBalancerSettings;
import dev.weft.model.networking.OutlierDetection;
import dev.weft.model.networking.TCPSettings;
import dev.weft.xds.push.EffectivePolicy;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;
import io.envoyproxy.envoy.type.v3.Percent;

/** Applies a DestinationRule's effective policy to a cluster, with Istio's defaults where it is silent. */
final class ClusterPolicies {

    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    private static final long UNLIMITED = 4_294_967_295L;
    private static final java.time.Duration DEFAULT_CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);

    private ClusterPolicies() {
    }

    static void apply(Cluster.Builder cluster, EffectivePolicy policy, boolean http2) {
        applyLoadBalancer(cluster, policy.loadBalancer());
        applyConnectionPool(cluster, policy.connectionPool(), http2);
        if (policy.outlierDetection() != null) {
            applyOutlierDetection(cluster, policy.outlierDetection());
        }
    }

    private static void applyLoadBalancer(Cluster.Builder cluster, LoadBalancerSettings lb) {
        if (lb != null && lb.localityLbSetting() != null && !Boolean.FALSE.equals(lb.localityLbSetting().enabled())
                && !lb.localityLbSetting().distribute().isEmpty()) {
            // The assignment's locality weights (from distribute) only count under locality-weighted LB.
            cluster.getCommonLbConfigBuilder().setLocalityWeightedLbConfig(
                    Cluster.CommonLbConfig.LocalityWeightedLbConfig.getDefaultInstance());
        }
        if (cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
            cluster.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
            return;
        }
        if (lb != null && lb.consistentHash() != null) {
            ConsistentHashLB hash = lb.consistentHash();
            if (hash.maglev() != null) {
                cluster.setLbPolicy(Cluster.LbPolicy.MAGLEV);
                if (hash.maglev().tableSize() > 0) {
                    cluster.getMaglevLbConfigBuilder().setTableSize(UInt64Value.of(hash.maglev().tableSize()));
                }
            } else {
                long ringSize = hash.ringHash() != null && hash.ringHash().minimumRingSize() > 0
                        ? hash.ringHash().minimumRingSize()
                        : hash.minimumRingSize() > 0 ? hash.minimumRingSize() : 1024;
                cluster.setLbPolicy(Cluster.LbPolicy.RING_HASH);
                cluster.getRingHashLbConfigBuilder().setMinimumRingSize(UInt64Value.of(ringSize));
            }
            return;
        }
        Cluster.LbPolicy policy = Cluster.LbPolicy.LEAST_REQUEST;
        if (lb != null && lb.simple() != null) {
            policy = switch (lb.simple()) {
                case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
                case RANDOM -> Cluster.LbPolicy.RANDOM;
                case PASSTHROUGH -> Cluster.LbPolicy.CLUSTER_PROVIDED;
                case UNSPECIFIED, LEAST_CONN, LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
            };
            if (lb.simple() == dev.weft.model.networking.SimpleLB.PASSTHROUGH) {
                cluster.setType(Cluster.DiscoveryType.ORIGINAL_DST).clearEdsClusterConfig();
            }
        }
        cluster.setLbPolicy(policy);
    }

    static void applyConnectionPool(Cluster.Builder cluster, ConnectionPoolSettings pool, boolean http2) {
        TCPSettings tcp = pool == null ? null : pool.tcp();
        HTTPSettings http = pool == null ? null : pool.http();
        cluster.setConnectTimeout(Durations.of(tcp != null && tcp.connectTimeout() != null
                ? tcp.connectTimeout() : DEFAULT_CONNECT_TIMEOUT));
        // 0 means unset in Istio's API, so every threshold falls back to "unlimited", retries included.
        cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds.newBuilder()
                .setPriority(RoutingPriority.DEFAULT)
                .setMaxConnections(UInt32Value.of((int) orUnlimited(tcp == null ? 0 : tcp.maxConnections())))
                .setMaxPendingRequests(UInt32Value.of((int) orUnlimited(http == null ? 0 : http.http1MaxPendingRequests())))
                .setMaxRequests(UInt32Value.of((int) orUnlimited(http == null ? 0 : http.http2MaxRequests())))
                .setMaxRetries(UInt32Value.of((int) orUnlimited(http == null ? 0 : http.maxRetries())))
                .setTrackRemaining(true)));
        if (tcp != null && tcp.tcpKeepalive() != null) {
            TcpKeepalive.Builder keepalive = TcpKeepalive.newBuilder();
            if (tcp.tcpKeepalive().probes() > 0) {
                keepalive.setKeepaliveProbes(UInt32Value.of(tcp.tcpKeepalive().probes()));
            }
            if (tcp.tcpKeepalive().time() != null) {
                keepalive.setKeepaliveTime(UInt32Value.of((int) tcp.tcpKeepalive().time().toSeconds()));
            }
            if (tcp.tcpKeepalive().interval() != null) {
                keepalive.setKeepaliveInterval(UInt32Value.of((int) tcp.tcpKeepalive().interval().toSeconds()));
            }
            cluster.setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder().setTcpKeepalive(keepalive));
        }
        HttpProtocolOptions.Builder common = HttpProtocolOptions.newBuilder();
        boolean hasCommon = false;
        if (http != null && http.maxRequestsPerConnection() > 0) {
            common.setMaxRequestsPerConnection(UInt32Value.of(http.maxRequestsPerConnection()));
            hasCommon = true;
        }
        if (http != null && http.idleTimeout() != null) {
            common.setIdleTimeout(Durations.of(http.idleTimeout()));
            hasCommon = true;
        }
        if (tcp != null && tcp.maxConnectionDuration() != null) {
            common.setMaxConnectionDuration(Durations.of(tcp.maxConnectionDuration()));
            hasCommon = true;
        }
        boolean upgrade = http != null && http.h2UpgradePolicy() == dev.weft.model.networking.H2UpgradePolicy.UPGRADE;
        if (hasCommon || http2 || upgrade) {
            var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder();
            if (hasCommon) {
                options.setCommonHttpProtocolOptions(common);
            }
            ExplicitHttpConfig.Builder explicit = ExplicitHttpConfig.newBuilder();
            if (http2 || upgrade) {
                Http2ProtocolOptions.Builder h2 = Http2ProtocolOptions.newBuilder();
                if (http != null && http.maxConcurrentStreams() > 0) {
                    h2.setMaxConcurrentStreams(UInt32Value.of(http.maxConcurrentStreams()));
                }
                explicit.setHttp2ProtocolOptions(h2);
            } else {
                explicit.getHttpProtocolOptionsBuilder();
            }
            options.setExplicitHttpConfig(explicit);
            cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(options.build()));
        }
    }

    private static long orUnlimited(int value) {
        return value > 0 ? value : UNLIMITED;
    }

    private static void applyOutlierDetection(Cluster.Builder cluster, OutlierDetection od) {
        var out = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
                .setEnforcingSuccessRate(UInt32Value.of(0));
        // The deprecated consecutiveErrors is ignored, as in Istio.
        if (od.consecutive5xxErrors() != null) {
            int v = od.consecutive5xxErrors();
            out.setConsecutive5Xx(UInt32Value.of(v)).setEnforcingConsecutive5Xx(UInt32Value.of(v > 0 ? 100 : 0));
        }
        if (od.consecutiveGatewayErrors() != null) {
            int v = od.consecutiveGatewayErrors();
            out.setConsecutiveGatewayFailure(UInt32Value.of(v))
                    .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(v > 0 ? 100 : 0));
        }
        if (od.interval() != null) {
            out.setInterval(Durations.of(od.interval()));
        }
        if (od.baseEjectionTime() != null) {
            out.setBaseEjectionTime(Durations.of(od.baseEjectionTime()));
        }
        if (od.maxEjectionPercent() > 0) {
            out.setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()));
        }
        if (od.splitExternalLocalOriginErrors()) {
            out.setSplitExternalLocalOriginErrors(true);
            if (od.consecutiveLocalOriginFailures() != null && od.consecutiveLocalOriginFailures() > 0) {
                out.setConsecutiveLocalOriginFailure(UInt32Value.of(od.consecutiveLocalOriginFailures()))
                        .setEnforcingConsecutiveLocalOriginFailure(UInt32Value.of(100));
            }
        }
        cluster.setOutlierDetection(out);
        // minHealthPercent is Envoy's panic threshold; 0 (the default) disables panic mode.
        cluster.getCommonLbConfigBuilder().setHealthyPanicThreshold(Percent.newBuilder().setValue(od.minHealthPercent()));
    }
}
