package dev.weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Protos;
import dev.weft.proxy.ProxyHarness;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A listener whose access log CEL filter does not parse is NACKed with the parser's message; the last good serves. */
class AdsAccessLogFilterTest {

    private final FakeAdsServer ads = new FakeAdsServer();
    private ProxyHarness proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
        ads.close();
    }

    /** A listener answering 204 itself, logging to stdout the requests {@code expression} admits. */
    private static Listener listener(String expression) {
        return Protos.fromYaml("""
                name: dyn
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains:
                - filters:
                  - name: hcm
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: dyn
                      access_log:
                      - name: envoy.access_loggers.stdout
                        filter:
                          extension_filter:
                            name: envoy.access_loggers.extension_filters.cel
                            typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter, expression: %s }
                        typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog }
                      route_config: { virtual_hosts: [ { name: a, domains: ["*"], routes: [ { match: { prefix: / }, direct_response: { status: 204 } } ] } ] }
                      http_filters: [ { name: router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } } ]
                """.formatted("'" + expression.replace("'", "''") + "'"), Listener.newBuilder());
    }

    @Test
    void aMalformedExpressionIsANackNamingItAndTheLastGoodListenerKeepsServing() throws Exception {
        proxy = ProxyHarness.start(ads.bootstrap("sidecar~127.0.0.1~web-1.default~default.svc.cluster.local", ""));
        ads.next(TypeUrls.CLUSTER);
        ads.next(TypeUrls.LISTENER);

        ads.push(TypeUrls.LISTENER, "l1", listener("response.code >= 400"));
        assertThat(ads.next(TypeUrls.LISTENER).getVersionInfo()).isEqualTo("l1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().listenerPort("dyn") > 0);

        ads.push(TypeUrls.LISTENER, "l2", listener("response.code >= 400 && request.heders['x'] == 'y'"));
        DiscoveryRequest nack = ads.next(TypeUrls.LISTENER);
        assertThat(nack.getVersionInfo()).isEqualTo("l1");
        assertThat(nack.getErrorDetail().getMessage()).contains("listener dyn").contains("access log filter: CEL "
                + "expression \"response.code >= 400 && request.heders['x'] == 'y'\": unknown attribute 'request.heders'"
                + " at column 25");

        int port = proxy.server().listenerPort("dyn");
        HttpResponse<Void> response = proxy.client().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(204);
    }
}
