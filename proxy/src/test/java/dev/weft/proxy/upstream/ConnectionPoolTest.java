package dev.weft.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.testing.upstream.FakeHttpUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("pool");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    private void start(String clusterExtra) {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: pool }
                """), "", Bootstraps.staticCluster("pool", "ROUND_ROBIN", clusterExtra, up.port())),
                ProxyOptions.defaults().withWorkerThreads(1).withRandomSeed(1));
    }

    @Test
    void sequentialRequestsReuseOneUpstreamConnection() {
        start("");
        for (int i = 0; i < 20; i++) {
            assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
        }
        assertThat(up.connectionCount()).isEqualTo(1);
    }

    @Test
    void maxRequestsPerConnectionRotatesConnections() {
        start("""
                typed_extension_protocol_options:
                  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                    "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                    common_http_protocol_options: { max_requests_per_connection: 5 }
                    explicit_http_config: { http_protocol_options: {} }
                """);
        for (int i = 0; i < 20; i++) {
            assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
        }
        assertThat(up.connectionCount()).isEqualTo(4);
    }

    @Test
    void anUpstreamConnectionCloseIsNotReused() {
        up.respondWith(r -> FakeHttpUpstream.echo(r).withHeader("connection", "close"));
        start("");
        for (int i = 0; i < 3; i++) {
            assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
        }
        assertThat(up.connectionCount()).isEqualTo(3);
    }
}
