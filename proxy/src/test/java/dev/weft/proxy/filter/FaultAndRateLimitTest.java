package dev.weft.proxy.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ManualTicker;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultAndRateLimitTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    private void start(String filters, ProxyOptions options) {
        String hcm = Bootstraps.indent("""
                access_log:
                - name: envoy.access_loggers.file
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: "%s" }
                """.formatted(dir.resolve("access.log")), 10);
        String yaml = Bootstraps.http(hcm, Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), Bootstraps.indent(filters, 10), Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()));
        proxy = options == null ? ProxyHarness.start(yaml) : ProxyHarness.start(yaml, options);
    }

    private String lastLogLine() throws Exception {
        Path log = dir.resolve("access.log");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log) && !Files.readAllLines(log).isEmpty());
        var lines = Files.readAllLines(log);
        return lines.get(lines.size() - 1);
    }

    @Test
    void abortFaultForAShareOfRequests() throws Exception {
        start("""
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort: { http_status: 503, percentage: { numerator: 50, denominator: HUNDRED } }
                """, null);
        int aborted = 0;
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = proxy.get("/");
            if (r.statusCode() == 503) {
                assertThat(r.body()).isEqualTo("fault filter abort");
                aborted++;
            }
        }
        assertThat(aborted).isBetween(70, 130);
        assertThat(up.requestCount()).isEqualTo(200 - aborted);
        assertThat(proxy.server().stats().value("http.ingress_http.fault.aborts_injected")).isEqualTo(aborted);
        assertThat(proxy.server().stats().value("http.ingress_http.fault.delays_injected")).isZero();
        // The last abort's fault ends on the event loop after its response reached the client.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.server().stats()
                .value("http.ingress_http.fault.active_faults")).isZero());
    }

    @Test
    void delayFaultHoldsTheRequestAndFlagsDI() throws Exception {
        start("""
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    delay: { fixed_delay: 0.3s, percentage: { numerator: 100 } }
                """, null);
        long start = System.nanoTime();
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(lastLogLine()).contains(" 200 DI ");
        assertThat(proxy.server().stats().value("http.ingress_http.fault.delays_injected")).isEqualTo(1);
    }

    @Test
    void faultsPastMaxActiveFaultsOverflowAndPassUnharmed() throws Exception {
        start("""
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    delay: { fixed_delay: 3s, percentage: { numerator: 100 } }
                    max_active_faults: 1
                """, null);
        var delayed = java.util.concurrent.CompletableFuture.supplyAsync(() -> proxy.get("/delayed").statusCode());
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> proxy.server().stats().value("http.ingress_http.fault.active_faults") == 1);
        assertThat(proxy.get("/overflow").statusCode()).isEqualTo(200);
        assertThat(lastLogLine()).as("logged while the delayed one waits, without DI").contains("/overflow")
                .contains(" 200 - ");
        assertThat(delayed.get()).isEqualTo(200);
        assertThat(proxy.server().stats().value("http.ingress_http.fault.faults_overflow")).isEqualTo(1);
        assertThat(proxy.server().stats().value("http.ingress_http.fault.delays_injected")).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> proxy.server().stats().value("http.ingress_http.fault.active_faults") == 0);
    }

    @Test
    void headerControlledAbort() throws Exception {
        start("""
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort: { header_abort: {}, percentage: { numerator: 100 } }
                """, null);
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        assertThat(proxy.get("/", "x-envoy-fault-abort-request", "429").statusCode()).isEqualTo(429);
        assertThat(lastLogLine()).contains(" 429 FI ");
    }

    @Test
    void localRateLimitAnswers429AndRefills() throws Exception {
        ManualTicker ticker = new ManualTicker();
        start("""
                - name: envoy.filters.http.local_ratelimit
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                    stat_prefix: rl
                    token_bucket: { max_tokens: 3, tokens_per_fill: 3, fill_interval: 60s }
                    filter_enabled: { runtime_key: e, default_value: { numerator: 100, denominator: HUNDRED } }
                    filter_enforced: { runtime_key: f, default_value: { numerator: 100, denominator: HUNDRED } }
                """, ProxyOptions.defaults().withWorkerThreads(2).withRandomSeed(3).withTicker(ticker));
        for (int i = 0; i < 3; i++) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = proxy.get("/");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("local_rate_limited");
        assertThat(lastLogLine()).contains(" 429 RL ");

        ticker.advance(Duration.ofSeconds(61));
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        assertThat(proxy.server().stats().value("rl.http_local_rate_limit.rate_limited")).isEqualTo(1);
    }

    @Test
    void perRouteFaultConfigAsIstioSendsIt() {
        String yaml = Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: /faulty }
                  route: { cluster: up }
                  typed_per_filter_config:
                    envoy.filters.http.fault:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                      abort: { http_status: 418, percentage: { numerator: 100 } }
                - match: { prefix: /off }
                  route: { cluster: up }
                  typed_per_filter_config:
                    envoy.filters.http.fault:
                      "@type": type.googleapis.com/envoy.config.route.v3.FilterConfig
                      disabled: true
                - match: { prefix: / }
                  route: { cluster: up }
                """), Bootstraps.indent("""
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort: { http_status: 503, percentage: { numerator: 100 } }
                """, 10), Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()));
        proxy = ProxyHarness.start(yaml);
        assertThat(proxy.get("/faulty").statusCode()).isEqualTo(418);
        assertThat(proxy.get("/off").statusCode()).isEqualTo(200);
        assertThat(proxy.get("/other").statusCode()).isEqualTo(503);
        assertThat(proxy.server().stats().value("http.ingress_http.fault.aborts_injected"))
                .as("the route's fault counts under the connection manager's fault filter, as Envoy's").isEqualTo(2);
        assertThat(proxy.server().stats().counterSnapshot()).doesNotContainKey("http.rds.fault.aborts_injected");
    }

    @Test
    void badFilterConfigIsRejectedWithAMessage() {
        String yaml = Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), Bootstraps.indent("""
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort: { http_status: 99 }
                """, 10), Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()));
        var bootstrap = ((dev.weft.proxy.bootstrap.BootstrapResult.Valid) new dev.weft.proxy.bootstrap.BootstrapLoader()
                .parse(yaml)).bootstrap();
        try (var server = dev.weft.proxy.server.ProxyServer.start(bootstrap, ProxyOptions.defaults().withWorkerThreads(1))) {
            assertThat(server.configErrors()).singleElement().satisfies(e -> {
                assertThat(e.resourceName()).isEqualTo("ingress");
                assertThat(e.message()).contains("http filter 'envoy.filters.http.fault'").contains("http_status 99");
            });
            assertThat(server.listenerPort("ingress")).isEqualTo(-1);
        }
    }
}
