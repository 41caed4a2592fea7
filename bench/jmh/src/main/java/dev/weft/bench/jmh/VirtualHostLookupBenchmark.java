package dev.weft.bench.jmh;

import dev.weft.proxy.router.Route;
import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.router.RouteTable;
import dev.weft.proxy.router.RouteTableCompiler;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
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
 * Route selection in a sidecar's outbound route table: 1,000 virtual hosts, one per service with the domains Istio
 * gives it (FQDN, short name, name.namespace, name:port), found by the request's authority.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VirtualHostLookupBenchmark {

    private static final int SERVICES = 1000;

    @Param({"service-777.default.svc.cluster.local", "service-777:8080", "unknown.example.com"})
    public String authority;

    private RouteTable table;
    private HttpHeaders headers;

    @Setup
    public void compile() {
        RouteConfiguration.Builder hosts = RouteConfiguration.newBuilder().setName("8080");
        for (int i = 0; i < SERVICES; i++) {
            String service = "service-" + i;
            hosts.addVirtualHosts(VirtualHost.newBuilder()
                    .setName(service + ".default.svc.cluster.local:8080")
                    .addDomains(service + ".default.svc.cluster.local").addDomains(service)
                    .addDomains(service + ".default").addDomains(service + ":8080")
                    .addRoutes(RouteMatchBenchmark.route("/", "outbound|8080||" + service + ".default.svc.cluster.local")));
        }
        table = RouteTableCompiler.compile(hosts.build());
        headers = new DefaultHttpHeaders().add("host", authority).add("user-agent", "wrk");
    }

    @Benchmark
    public Route findVirtualHostThenRoute() {
        dev.weft.proxy.router.VirtualHost vh = table.virtualHost(authority);
        return vh == null ? null : vh.match(new RouteRequest("GET", "/productpage", headers));
    }
}
