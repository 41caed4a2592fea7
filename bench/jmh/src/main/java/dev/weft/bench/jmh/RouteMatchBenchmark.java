package dev.weft.bench.jmh;

import dev.weft.proxy.router.Route;
import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.RouteTableCompiler;
import dev.weft.proxy.router.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route selection in one virtual host with 1,000 prefix routes, compiled by the proxy's own
 * {@link RouteTableCompiler}: routes are tried in order, so the hit position is the parameter (-1 misses every
 * route). {@link VirtualHostLookupBenchmark} is the other shape a sidecar sees.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchBenchmark {

    private static final int ROUTES = 1000;

    @Param({"0", "500", "999", "-1"})
    public int hitRoute;

    private RouteTable oneHostManyRoutes;
    private HttpHeaders headers;
    private String path;

    @Setup
    public void compile() {
        RouteConfiguration.Builder routes = RouteConfiguration.newBuilder().setName("routes");
        io.envoyproxy.envoy.config.route.v3.VirtualHost.Builder all =
                io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder().setName("all").addDomains("*");
        for (int i = 0; i < ROUTES; i++) {
            all.addRoutes(route("/api/v1/service-" + i + "/", "cluster-" + i));
        }
        oneHostManyRoutes = RouteTableCompiler.compile(routes.addVirtualHosts(all).build());

        headers = new DefaultHttpHeaders().add("host", "service-777.default.svc.cluster.local")
                .add("user-agent", "wrk").add("x-request-id", "7f3a6c1e-5d0b-4c52-9a8e-3f1d2b4c5a6e");
        path = hitRoute < 0 ? "/not/routed" : "/api/v1/service-" + hitRoute + "/items?page=2";
        if (oneHostManyRoutes.virtualHost("any").match(new RouteRequest("GET", path, headers)) == null
                && hitRoute >= 0) {
            throw new IllegalStateException("route " + hitRoute + " should match " + path);
        }
    }

    static io.envoyproxy.envoy.config.route.v3.Route route(String prefix, String cluster) {
        return io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
                .setRoute(RouteAction.newBuilder().setCluster(cluster)).build();
    }

    @Benchmark
    public Route oneVirtualHostThousandPrefixRoutes() {
        VirtualHost vh = oneHostManyRoutes.virtualHost("reviews:9080");
        return vh.match(new RouteRequest("GET", path, headers));
    }
}
