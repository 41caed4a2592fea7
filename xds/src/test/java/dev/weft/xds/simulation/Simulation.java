package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.proxy.router.Route;
import dev.weft.proxy.router.RouteAction;
import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.RouteTableCompiler;
import dev.weft.proxy.router.VirtualHost;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import dev.weft.xds.route.RouteGenerator;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Routes generated for one proxy, compiled by weft-proxy's own router and asked where requests go: the
 * answer is what the data plane will do with our config, not what we meant it to do.
 */
final class Simulation {

    private final List<RouteConfiguration> routes;

    private Simulation(List<RouteConfiguration> routes) {
        this.routes = routes;
    }

    static Simulation of(String config, ProxyNode proxy) {
        return of(config, proxy, MeshSettings.DEFAULT);
    }

    static Simulation of(String config, ProxyNode proxy, MeshSettings mesh) {
        LoadResult loaded = new ConfigLoader().loadString(config, "simulation.yaml");
        assertThat(loaded.errors()).as("config loads cleanly").isEmpty();
        PushContext push = new PushContext(loaded.snapshot(),
                ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), mesh);
        return new Simulation(RouteGenerator.generate(push, proxy));
    }

    /** The proxy of a golden feature, from its {@code proxy.json}. */
    static ProxyNode goldenProxy(String feature) throws IOException {
        Node.Builder node = Node.newBuilder();
        JsonFormat.parser().merge(Files.readString(Path.of("src/test/resources/golden", feature, "proxy.json")), node);
        return ProxyNode.fromNode(node.build());
    }

    static ProxyNode proxy(String nodeId, Map<String, String> labels) {
        Struct.Builder struct = Struct.newBuilder();
        labels.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return ProxyNode.fromNode(Node.newBuilder().setId(nodeId)
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(struct).build()))
                .build());
    }

    /** A request on the listener whose routes are {@code routeName}. */
    Request request(String routeName, String authority, String method, String uri) {
        RouteConfiguration config = routes.stream().filter(r -> r.getName().equals(routeName)).findFirst()
                .orElseThrow(() -> new AssertionError("no route configuration " + routeName));
        return new Request(RouteTableCompiler.compile(config), authority, method, uri);
    }

    static final class Request {
        private final RouteTable table;
        private final String authority;
        private final String method;
        private final String uri;
        /** Not validating: Envoy's header map holds pseudo-headers, which Netty's HTTP/1 names reject. */
        @SuppressWarnings("deprecation")
        private final HttpHeaders headers = new DefaultHttpHeaders(false);

        Request(RouteTable table, String authority, String method, String uri) {
            this.table = table;
            this.authority = authority;
            this.method = method;
            this.uri = uri;
            // Envoy's header map carries the pseudo-headers for HTTP/1 too, and Istio matches method,
            // authority and scheme through them: a data plane must present them to header matchers.
            headers.set("host", authority);
            headers.set(":authority", authority);
            headers.set(":method", method);
            headers.set(":path", uri);
            headers.set(":scheme", "http");
        }

        Request header(String name, String value) {
            headers.set(name, value);
            return this;
        }

        /** The matched route, or empty for a 404 (no virtual host or no route). */
        Optional<Route> route() {
            VirtualHost host = table.virtualHost(authority);
            return host == null ? Optional.empty() : Optional.ofNullable(host.match(new RouteRequest(method, uri, headers)));
        }

        RouteAction action() {
            return route().orElseThrow(() -> new AssertionError(method + " " + authority + uri + " matched no route"))
                    .action();
        }

        /** The cluster the request reaches, with a weighted split drawn from {@code random}. */
        String cluster(RandomGenerator random) {
            RouteAction action = action();
            assertThat(action).as("forwarded").isInstanceOf(RouteAction.Forward.class);
            return ((RouteAction.Forward) action).clusters().choose(headers, random);
        }

        String cluster() {
            return cluster(RandomGenerator.of("L64X128MixRandom"));
        }
    }
}
