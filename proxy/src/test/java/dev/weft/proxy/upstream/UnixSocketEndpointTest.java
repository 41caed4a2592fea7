package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.transport.Transport;
import dev.weft.testing.upstream.UnixSocketHttpUpstream;
import io.netty.channel.epoll.Epoll;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints at {@code address.pipe.path} (Istio's Sidecar ingress {@code defaultEndpoint: unix:///...}). */
class UnixSocketEndpointTest {

    @TempDir
    Path dir;

    @Test
    void requestsReachAnAppOnAUnixSocketOverEpoll() {
        Assumptions.assumeTrue(Epoll.isAvailable(), "needs epoll");
        assertRequestsReachTheSocket(Transport.best());
    }

    @Test
    void requestsReachAnAppOnAUnixSocketOverNio() {
        assertRequestsReachTheSocket(Transport.nio());
    }

    private void assertRequestsReachTheSocket(Transport transport) {
        ProxyOptions defaults = ProxyOptions.defaults();
        ProxyOptions options = new ProxyOptions(1, defaults.ticker(), defaults.clock(), 42L, transport, defaults.filters(),
                defaults.accessLogQueue(), null, null);
        try (UnixSocketHttpUpstream app = UnixSocketHttpUpstream.start("app", dir.resolve("app.sock"));
                ProxyHarness proxy = ProxyHarness.start(Bootstraps.http("",
                        Bootstraps.anyHost("- match: { prefix: / }\n  route: { cluster: inbound }"), "",
                        "  - name: inbound\n    load_assignment: { cluster_name: inbound, endpoints: [ { lb_endpoints: [ "
                                + "{ endpoint: { address: { pipe: { path: \"" + app.path() + "\" } } } } ] } ] }\n"), options)) {
            for (String path : new String[] {"/first", "/second"}) {
                HttpResponse<String> response = proxy.get(path);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("app GET " + path);
            }
            assertThat(app.connectionCount()).as("the pooled connection is reused").isEqualTo(1);
            assertThat(proxy.server().stats().value("cluster.inbound.upstream_rq_2xx")).isEqualTo(2);
        }
    }

    @Test
    void aPipeInADnsClusterIsRejected() {
        try (var server = ProxyHarness.startServer(Bootstraps.http("",
                Bootstraps.anyHost("- match: { prefix: / }\n  route: { cluster: dns }"), "",
                "  - name: dns\n    type: STRICT_DNS\n    load_assignment: { cluster_name: dns, endpoints: [ { lb_endpoints: [ "
                        + "{ endpoint: { address: { pipe: { path: /tmp/x.sock } } } } ] } ] }\n"),
                ProxyOptions.defaults().withWorkerThreads(1))) {
            assertThat(server.configErrors()).anySatisfy(e -> assertThat(e.message())
                    .isEqualTo("STRICT_DNS clusters resolve names: a pipe endpoint needs a STATIC or EDS cluster"));
        }
    }
}
