package dev.weft.proxy.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import dev.weft.testing.upstream.ResettingServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAndTimeoutTest {

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

    private Path accessLog() {
        return dir.resolve("access.log");
    }

    private void start(String routeExtras, String clusters) {
        String hcm = Bootstraps.indent("""
                access_log:
                - name: envoy.access_loggers.file
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: "%s" }
                """.formatted(accessLog()), 10);
        String vhost = """
                            - name: all
                              domains: ["*"]
                              include_request_attempt_count: true
                              routes:
                              - match: { prefix: / }
                                route:
                                  cluster: up
                """ + Bootstraps.indent(routeExtras, 18);
        proxy = ProxyHarness.start(Bootstraps.http(hcm, vhost, "", clusters));
    }

    private void start(String routeExtras) {
        start(routeExtras, Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port()));
    }

    private List<String> logLines(int expected) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(accessLog())
                && Files.readAllLines(accessLog()).size() >= expected);
        return Files.readAllLines(accessLog());
    }

    @ParameterizedTest(name = "{0} retries {1}")
    @CsvSource({"5xx,500", "5xx,503", "gateway-error,502", "gateway-error,504", "retriable-4xx,409"})
    void retriesStatusConditions(String retryOn, int status) throws Exception {
        up.respondInSequence(status);
        start("retry_policy: { retry_on: \"" + retryOn + "\", num_retries: 2, retry_back_off: { base_interval: 0.001s } }");

        HttpResponse<String> response = proxy.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(up.requestCount()).isEqualTo(2);
        assertThat(up.requests().get(1).header("x-envoy-attempt-count")).isEqualTo("2");
        assertThat(proxy.server().stats().value("cluster.up.upstream_rq_retry")).isEqualTo(1);
    }

    @Test
    void gatewayErrorDoesNotRetryA500() {
        up.respondInSequence(500);
        start("retry_policy: { retry_on: gateway-error, num_retries: 2 }");
        assertThat(proxy.get("/").statusCode()).isEqualTo(500);
        assertThat(up.requestCount()).isEqualTo(1);
    }

    @Test
    void anOverloadedUpstreamIsNotRetried() {
        up.respondWith(r -> FakeResponse.of(503, "busy").withHeader("x-envoy-overloaded", "true"));
        start("retry_policy: { retry_on: 5xx, num_retries: 2 }");
        assertThat(proxy.get("/").statusCode()).isEqualTo(503);
        assertThat(up.requestCount()).isEqualTo(1);
    }

    @Test
    void retriableStatusCodes() {
        up.respondInSequence(418, 418);
        start("retry_policy: { retry_on: retriable-status-codes, retriable_status_codes: [418], num_retries: 3, retry_back_off: { base_interval: 0.001s } }");
        assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        assertThat(up.requestCount()).isEqualTo(3);
    }

    /**
     * Istio's default retry_on lists retriable-status-codes: with Istio 1.23's [503] an app's 503 is retried, with
     * the empty list Istio sends since 1.24 it is not.
     */
    @ParameterizedTest(name = "retriable_status_codes {0}: {1} tries")
    @CsvSource(delimiter = ';', value = {"[503]; 2", "[]; 1"})
    void istiosDefaultPolicyRetriesA503OnlyWhenListed(String codes, int tries) {
        up.respondInSequence(503);
        start("retry_policy: { retry_on: \"connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes\","
                + " retriable_status_codes: " + codes + ", num_retries: 2, retry_back_off: { base_interval: 0.001s } }");
        assertThat(proxy.get("/").statusCode()).isEqualTo(tries == 2 ? 200 : 503);
        assertThat(up.requestCount()).isEqualTo(tries);
    }

    @ParameterizedTest(name = "gRPC {0} on status {1}")
    @CsvSource({"cancelled,1", "deadline-exceeded,4", "resource-exhausted,8", "internal,13", "unavailable,14"})
    void retriesGrpcStatusConditions(String retryOn, int grpcStatus) {
        AtomicInteger calls = new AtomicInteger();
        up.respondWith(r -> calls.getAndIncrement() == 0
                ? FakeResponse.of(200, "").withHeader("grpc-status", Integer.toString(grpcStatus))
                : FakeHttpUpstream.echo(r));
        start("retry_policy: { retry_on: \"" + retryOn + "\", num_retries: 1, retry_back_off: { base_interval: 0.001s } }");
        HttpResponse<String> response = proxy.get("/");
        assertThat(response.headers().firstValue("grpc-status")).isEmpty();
        assertThat(up.requestCount()).isEqualTo(2);
    }

    @Test
    void exhaustedRetriesReturnTheLastResponseWithFlagURX() throws Exception {
        up.respondWith(r -> FakeResponse.of(503, "down"));
        start("retry_policy: { retry_on: 5xx, num_retries: 2, retry_back_off: { base_interval: 0.001s } }");

        HttpResponse<String> response = proxy.get("/");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(up.requestCount()).isEqualTo(3);
        assertThat(logLines(1).get(0)).contains("\"GET / HTTP/1.1\" 503 URX ");
    }

    @Test
    void retriesReplayTheRequestBody() {
        up.respondInSequence(503);
        start("retry_policy: { retry_on: 5xx, num_retries: 1, retry_back_off: { base_interval: 0.001s } }");
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/post"))
                .POST(HttpRequest.BodyPublishers.ofString("payload-123")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(up.requests()).extracting(r -> r.bodyText()).containsExactly("payload-123", "payload-123");
    }

    @Test
    void connectFailureRetriesOnAnotherHost() throws Exception {
        int dead = ResettingServer.closedPort();
        start("retry_policy: { retry_on: connect-failure, num_retries: 3, retry_back_off: { base_interval: 0.001s },"
                        + " retry_host_predicate: [ { name: envoy.retry_host_predicates.previous_hosts,"
                        + " typed_config: { \"@type\": type.googleapis.com/google.protobuf.Empty } } ] }",
                Bootstraps.staticCluster("up", "ROUND_ROBIN", "", dead, up.port()));
        for (int i = 0; i < 4; i++) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);
        }
        assertThat(up.requestCount()).isEqualTo(4);
    }

    @Test
    void connectFailureWithoutRetriesIs503UF() throws Exception {
        start("timeout: 5s", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", ResettingServer.closedPort()));
        HttpResponse<String> response = proxy.get("/");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("connection failure");
        assertThat(logLines(1).get(0)).contains(" 503 UF ");
    }

    @Test
    void resetRetriesAConnectionDroppedBeforeResponse() {
        try (ResettingServer resetting = ResettingServer.start()) {
            start("retry_policy: { retry_on: reset, num_retries: 3, retry_back_off: { base_interval: 0.001s },"
                            + " retry_host_predicate: [ { name: envoy.retry_host_predicates.previous_hosts } ] }",
                    Bootstraps.staticCluster("up", "ROUND_ROBIN", "", resetting.port(), up.port()));
            for (int i = 0; i < 4; i++) {
                assertThat(proxy.get("/").statusCode()).isEqualTo(200);
            }
            assertThat(resetting.connectionCount()).isPositive();
        }
    }

    @Test
    void routeTimeoutAnswers504UT() throws Exception {
        up.respondWith(r -> FakeResponse.of(200, "late").withDelay(Duration.ofSeconds(3)));
        start("timeout: 0.2s");
        long start = System.nanoTime();
        HttpResponse<String> response = proxy.get("/");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("upstream request timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(logLines(1).get(0)).contains(" 504 UT ");
    }

    @Test
    void perTryTimeoutRetriesASlowAttempt() {
        AtomicInteger calls = new AtomicInteger();
        up.respondWith(r -> calls.getAndIncrement() == 0
                ? FakeResponse.of(200, "slow").withDelay(Duration.ofSeconds(3)) : FakeResponse.of(200, "fast"));
        start("retry_policy: { retry_on: 5xx, num_retries: 1, per_try_timeout: 0.2s, retry_back_off: { base_interval: 0.001s } }");
        HttpResponse<String> response = proxy.get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("fast");
    }

    @Test
    void requestTimeoutHeaderOverridesTheRoute() {
        up.respondWith(r -> FakeResponse.of(200, "late").withDelay(Duration.ofSeconds(3)));
        start("timeout: 30s");
        assertThat(proxy.get("/", "x-envoy-upstream-rq-timeout-ms", "150").statusCode()).isEqualTo(504);
    }
}
