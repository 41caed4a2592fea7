package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.xds.cluster.ClusterGenerator;
import dev.weft.xds.endpoint.EndpointGenerator;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import dev.weft.xds.route.RouteGenerator;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The config generated for one proxy, run in weft-proxy as static resources: EDS clusters carry their generated
 * assignment inline and RDS routes are inlined in their connection managers, so no ADS server is needed.
 */
final class LiveProxy {

    private LiveProxy() {
    }

    /** A PushContext over this config (which must load cleanly), with the mesh defaults. */
    static PushContext push(String config) {
        LoadResult loaded = new ConfigLoader().loadString(config, "live.yaml");
        assertThat(loaded.errors()).as("config loads cleanly").isEmpty();
        return new PushContext(loaded.snapshot(), ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"),
                MeshSettings.DEFAULT);
    }

    /** A local-runtime sidecar on 127.0.0.1 in namespace default, every port chosen by the OS, with these egress entries. */
    static ProxyNode localSidecar(ListValue egress) {
        return localSidecar(egress, Locality.getDefaultInstance());
    }

    static ProxyNode localSidecar(ListValue egress, Locality locality) {
        Struct ports = Struct.newBuilder()
                .putFields("outbound", Value.newBuilder().setNumberValue(0).build())
                .putFields("admin", Value.newBuilder().setNumberValue(0).build())
                .putFields("egress", Value.newBuilder().setListValue(egress).build())
                .build();
        return ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~127.0.0.1~client-1.default~default.svc.cluster.local")
                .setLocality(locality)
                .setMetadata(Struct.newBuilder().putFields(ProxyNode.LOCAL_PORTS_KEY,
                        Value.newBuilder().setStructValue(ports).build()))
                .build());
    }

    /** Starts weft-proxy with the proxy's clusters and the listeners {@code listeners} picks; none may be rejected. */
    static ProxyServer start(PushContext push, ProxyNode proxy, Predicate<String> listeners) {
        Map<String, ClusterLoadAssignment> assignments = EndpointGenerator.generate(push, proxy).stream()
                .collect(Collectors.toMap(ClusterLoadAssignment::getClusterName, Function.identity()));
        Map<String, RouteConfiguration> routes = RouteGenerator.generate(push, proxy).stream()
                .collect(Collectors.toMap(RouteConfiguration::getName, Function.identity()));
        Bootstrap.StaticResources.Builder statics = Bootstrap.StaticResources.newBuilder();
        for (Cluster cluster : ClusterGenerator.generate(push, proxy)) {
            statics.addClusters(cluster.getType() != Cluster.DiscoveryType.EDS ? cluster : cluster.toBuilder()
                    .setType(Cluster.DiscoveryType.STATIC).clearEdsClusterConfig()
                    .setLoadAssignment(assignments.get(cluster.getName())).build());
        }
        ListenerGenerator.generate(push, proxy).stream()
                .filter(l -> listeners.test(l.getName()))
                .forEach(l -> statics.addListeners(inlineRoutes(l, routes)));
        ProxyServer server = ProxyServer.start(Bootstrap.newBuilder().setStaticResources(statics).build(),
                ProxyOptions.defaults());
        assertThat(server.configErrors()).as("weft-proxy takes the generated config").isEmpty();
        return server;
    }

    private static Listener inlineRoutes(Listener listener, Map<String, RouteConfiguration> routes) {
        Listener.Builder out = listener.toBuilder();
        for (FilterChain.Builder chain : out.getFilterChainsBuilderList()) {
            for (Filter.Builder filter : chain.getFiltersBuilderList()) {
                if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                    HttpConnectionManager hcm = unpack(filter.getTypedConfig());
                    if (hcm.hasRds()) {
                        filter.setTypedConfig(Any.pack(hcm.toBuilder().clearRds()
                                .setRouteConfig(routes.get(hcm.getRds().getRouteConfigName())).build()));
                    }
                }
            }
        }
        return out.build();
    }

    private static HttpConnectionManager unpack(Any any) {
        try {
            return any.unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
