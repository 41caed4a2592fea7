package dev.weft.xds.listener;

import com.google.protobuf.Any;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.cluster.Durations;
import dev.weft.xds.cluster.DynamicForwardProxy;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;

/** The network filters listeners are built from: HTTP connection managers and TCP proxies. */
final class NetworkFilters {

    static final String HCM = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

    private NetworkFilters() {
    }

    /**
     * An HCM whose routes come over RDS, with the filters VirtualService features need, router last, behind Istio's
     * stats filter ({@code stats}).
     */
    static Filter httpWithRds(String statPrefix, String routeName, boolean gateway, HttpFilter stats) {
        return httpWithRds(statPrefix, routeName, gateway, stats, List.of());
    }

    /** {@link #httpWithRds(String, String, boolean, HttpFilter)} behind the workload's security filters too. */
    static Filter httpWithRds(String statPrefix, String routeName, boolean gateway, HttpFilter stats,
            List<HttpFilter> security) {
        HttpConnectionManager.Builder hcm = base(statPrefix, gateway)
                .setRds(rds(routeName));
        return Filter.newBuilder().setName(HCM)
                .setTypedConfig(Any.pack(behind(hcm, stats, security))).build();
    }

    /**
     * The HCM of a local-runtime sidecar's outbound port, which apps use as their HTTP proxy: absolute-form requests
     * and CONNECT (upgrade_configs CONNECT; routes with a connect_matcher terminate it), with Envoy's dynamic forward
     * proxy filter before the router for the hosts the mesh does not know.
     */
    static Filter explicitHttpProxy(String statPrefix, String routeName, HttpFilter stats) {
        HttpConnectionManager.Builder hcm = base(statPrefix, false)
                .setRds(rds(routeName))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("CONNECT"));
        hcm.addHttpFilters(hcm.getHttpFiltersCount() - 1, DynamicForwardProxy.httpFilter());
        return Filter.newBuilder().setName(HCM).setTypedConfig(Any.pack(behind(hcm, stats, List.of()))).build();
    }

    /** For gRPC clients: only filters gRPC implements (fault injection, router), routes over RDS. */
    static Any grpcConnectionManager(String routeName) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(routeName)
                .setRds(rds(routeName))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.fault")
                        .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
        return Any.pack(hcm);
    }

    /**
     * Inbound HTTP: an inline route to the local app, retrying only requests that never reached it, behind the
     * workload's security filters.
     */
    static Filter httpInbound(String statPrefix, int port, HttpFilter stats, List<HttpFilter> security) {
        String cluster = ClusterNames.inbound(port);
        RouteConfiguration routes = RouteConfiguration.newBuilder()
                .setName(cluster)
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName("inbound|http|" + port)
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setName("default")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder()
                                        .setCluster(cluster)
                                        .setTimeout(Durations.seconds(0))
                                        .setRetryPolicy(RetryPolicy.newBuilder()
                                                .setRetryOn("reset-before-request")
                                                .setNumRetries(com.google.protobuf.UInt32Value.of(2))))))
                .build();
        // The app learns its caller's identity, as from Istio's sidecar; plain-text callers' headers are dropped.
        HttpConnectionManager.Builder hcm = base(statPrefix, false).setRouteConfig(routes)
                .setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD)
                .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder()
                        .setSubject(com.google.protobuf.BoolValue.of(true)).setDns(true).setUri(true));
        return Filter.newBuilder().setName(HCM).setTypedConfig(Any.pack(behind(hcm, stats, security))).build();
    }

    /**
     * The connection manager with Istio's stats filter first (it must see every request, also those a security filter
     * answers) and the security filters after it, ahead of its own.
     */
    private static HttpConnectionManager behind(HttpConnectionManager.Builder hcm, HttpFilter stats,
            List<HttpFilter> security) {
        List<HttpFilter> filters = new java.util.ArrayList<>();
        filters.add(stats);
        filters.addAll(security);
        filters.addAll(hcm.getHttpFiltersList());
        return hcm.clearHttpFilters().addAllHttpFilters(filters).build();
    }

    private static Rds rds(String routeName) {
        return Rds.newBuilder().setRouteConfigName(routeName).setConfigSource(ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)).build();
    }

    private static HttpConnectionManager.Builder base(String statPrefix, boolean gateway) {
        HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setCodecType(HttpConnectionManager.CodecType.AUTO)
                .addAllHttpFilters(List.of(
                        HttpFilter.newBuilder().setName("envoy.filters.http.fault")
                                .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())).build(),
                        // Optional: a data plane without CORS may still take the rest of the config.
                        HttpFilter.newBuilder().setName("envoy.filters.http.cors").setIsOptional(true)
                                .setTypedConfig(Any.pack(Cors.getDefaultInstance())).build(),
                        HttpFilter.newBuilder().setName("envoy.filters.http.router")
                                .setTypedConfig(Any.pack(Router.getDefaultInstance())).build()));
        if (gateway) {
            hcm.setUseRemoteAddress(com.google.protobuf.BoolValue.of(true));
        }
        return hcm;
    }

    static Filter tcpProxy(String statPrefix, WeightedTargets targets) {
        TcpProxy.Builder proxy = TcpProxy.newBuilder().setStatPrefix(statPrefix);
        if (targets.clusters().size() == 1) {
            proxy.setCluster(targets.clusters().getFirst().name());
        } else {
            TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
            targets.clusters().forEach(c -> weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                    .setName(c.name()).setWeight(c.weight())));
            proxy.setWeightedClusters(weighted);
        }
        return Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(proxy.build())).build();
    }
}
