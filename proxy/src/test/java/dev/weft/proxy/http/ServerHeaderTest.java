package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Envoy's server_name and server_header_transformation on responses that come with and without a server header. */
class ServerHeaderTest {

    private final FakeHttpUpstream withServer = FakeHttpUpstream.start("upstream")
            .respondWith(r -> FakeResponse.of(200, "ok").withHeader("server", "upstream-app"));
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        withServer.close();
    }

    @ParameterizedTest
    @CsvSource({"OVERWRITE, istio-envoy, istio-envoy", "APPEND_IF_ABSENT, upstream-app, istio-envoy",
            "PASS_THROUGH, upstream-app, "})
    void theTransformationDecidesTheServerHeader(String transformation, String proxied, String local) {
        proxy = ProxyHarness.start(Bootstraps.http(
                "          server_name: istio-envoy\n          server_header_transformation: " + transformation + "\n",
                Bootstraps.anyHost("""
                        - match: { prefix: "/local" }
                          direct_response: { status: 204 }
                        - match: { prefix: "/" }
                          route: { cluster: web }
                        """), "", Bootstraps.staticCluster("web", "ROUND_ROBIN", "", withServer.port())));
        assertThat(proxy.get("/").headers().firstValue("server")).as("an upstream's answer").contains(proxied);
        assertThat(proxy.get("/local").headers().firstValue("server")).as("a local reply")
                .isEqualTo(java.util.Optional.ofNullable(local));
    }

    @Test
    void withoutAServerNameTheProxyNamesItself() {
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: "/" }
                  route: { cluster: web }
                """), "", Bootstraps.staticCluster("web", "ROUND_ROBIN", "", withServer.port())));
        assertThat(proxy.get("/").headers().firstValue("server")).contains("weft");
    }
}
