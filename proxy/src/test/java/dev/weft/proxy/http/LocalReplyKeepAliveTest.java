package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.RawHttp1Connection;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of reply the proxy makes itself keeps an HTTP/1.1 connection open, as Envoy's do: two requests in
 * turn and three pipelined ones on one raw connection all get their answers, and none says {@code connection:
 * close}. Pooled clients (fortio, Java's and Go's HTTP clients) otherwise fail their next request on the reused
 * connection.
 */
class LocalReplyKeepAliveTest {

    /** A local reply, the request that provokes it and the status it gets. */
    enum LocalReply {
        DIRECT_RESPONSE("GET /direct", 418),
        FAULT_ABORT("GET /abort", 503),
        NO_ROUTE("GET /nowhere", 404, "elsewhere.example"),
        BLACKHOLE("GET /blackhole", 502),
        NO_CLUSTER("GET /missing-cluster", 503),
        NO_HEALTHY_UPSTREAM("GET /empty-cluster", 503),
        CIRCUIT_BREAKER_OVERFLOW("GET /overflow", 503),
        RATE_LIMITED("GET /limited", 429),
        CORS_PREFLIGHT("OPTIONS /cors", 200, "app.example",
                "origin: https://app.example\r\naccess-control-request-method: POST\r\n"),
        REDIRECT("GET /redirect", 301),
        DIRECT_RESPONSE_TO_A_POST("POST /direct", 418, "app.example", "content-length: 11\r\n", "hello world");

        final String requestLine;
        final int status;
        final String host;
        final String headers;
        final String body;

        LocalReply(String requestLine, int status) {
            this(requestLine, status, "app.example");
        }

        LocalReply(String requestLine, int status, String host) {
            this(requestLine, status, host, "");
        }

        LocalReply(String requestLine, int status, String host, String headers) {
            this(requestLine, status, host, headers, "");
        }

        LocalReply(String requestLine, int status, String host, String headers, String body) {
            this.requestLine = requestLine;
            this.status = status;
            this.host = host;
            this.headers = headers;
            this.body = body;
        }

        String request() {
            return requestLine + " HTTP/1.1\r\nhost: " + host + "\r\n" + headers + "\r\n" + body;
        }
    }

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;

    @BeforeEach
    void start() throws IOException {
        String vhost = """
                - name: app
                  domains: [ "app.example" ]
                  routes:
                  - match: { prefix: /direct }
                    direct_response: { status: 418, body: { inline_string: "I'm a teapot" } }
                  - match: { prefix: /abort }
                    route: { cluster: up }
                    typed_per_filter_config:
                      envoy.filters.http.fault:
                        "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                        abort: { http_status: 503, percentage: { numerator: 100 } }
                  - match: { prefix: /blackhole }
                    direct_response: { status: 502 }
                  - match: { prefix: /missing-cluster }
                    route: { cluster: nowhere }
                  - match: { prefix: /empty-cluster }
                    route: { cluster: empty }
                  - match: { prefix: /overflow }
                    route: { cluster: full }
                  - match: { prefix: /limited }
                    route: { cluster: up }
                    typed_per_filter_config:
                      envoy.filters.http.local_ratelimit:
                        "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                        stat_prefix: limited
                        token_bucket: { max_tokens: 1, tokens_per_fill: 1, fill_interval: 3600s }
                        filter_enabled: { default_value: { numerator: 100 } }
                        filter_enforced: { default_value: { numerator: 100 } }
                  - match: { prefix: /cors }
                    route:
                      cluster: up
                      cors: { allow_origin_string_match: [ { exact: "https://app.example" } ], allow_methods: POST }
                  - match: { prefix: /redirect }
                    redirect: { path_redirect: /elsewhere }
                  - match: { prefix: / }
                    route: { cluster: up }
                """;
        String filters = """
                - name: envoy.filters.http.fault
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault }
                - name: envoy.filters.http.cors
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors }
                - name: envoy.filters.http.local_ratelimit
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                    stat_prefix: off
                """;
        String clusters = Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())
                + Bootstraps.staticCluster("full", "ROUND_ROBIN",
                        "circuit_breakers: { thresholds: [ { max_requests: 0 } ] }\n", up.port())
                + "  - name: empty\n    connect_timeout: 1s\n    type: STATIC\n"
                + "    load_assignment: { cluster_name: empty, endpoints: [] }\n";
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.indent(vhost, 12), Bootstraps.indent(filters, 10),
                clusters));
        // The rate limit's one token goes first, so every request after it is limited.
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send(LocalReply.RATE_LIMITED.request()).read().status()).isEqualTo(200);
        }
    }

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    @ParameterizedTest
    @EnumSource(LocalReply.class)
    void twoRequestsInTurnOnOneConnection(LocalReply reply) throws IOException {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            for (int i = 0; i < 2; i++) {
                RawHttp1Connection.Response r = c.send(reply.request()).read();
                assertThat(r.status()).isEqualTo(reply.status);
                assertThat(r.closesConnection()).as("connection: close on %s", reply).isFalse();
            }
            assertThat(c.openAndSilentFor(200)).as("the connection stays open").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(LocalReply.class)
    void threePipelinedRequestsAreAllAnswered(LocalReply reply) throws IOException {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            c.send(reply.request().repeat(3));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawHttp1Connection.Response r = c.read();
                statuses.add(r.status());
                assertThat(r.closesConnection()).isFalse();
            }
            assertThat(statuses).containsOnly(reply.status);
            assertThat(c.openAndSilentFor(200)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(LocalReply.class)
    void aProxiedRequestAfterTheLocalReplyReachesTheUpstream(LocalReply reply) throws IOException {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send(reply.request()).read().status()).isEqualTo(reply.status);
            RawHttp1Connection.Response r = c.send("GET /after HTTP/1.1\r\nhost: app.example\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("GET /after");
        }
    }

    @Test
    void aLocalReplyBeforeALongBodyClosesTheConnectionAndSaysSo() throws IOException {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            c.send("POST /direct HTTP/1.1\r\nhost: app.example\r\ncontent-length: 1000000\r\n\r\nonly the start");
            RawHttp1Connection.Response r = c.read();
            assertThat(r.status()).isEqualTo(418);
            assertThat(r.closesConnection()).isTrue();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void aLocalReplyBeforeAChunkedBodyClosesTheConnectionAndSaysSo() throws IOException {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            c.send("POST /direct HTTP/1.1\r\nhost: app.example\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n");
            RawHttp1Connection.Response r = c.read();
            assertThat(r.status()).isEqualTo(418);
            assertThat(r.closesConnection()).isTrue();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void aShortBodyStillOnItsWayIsReadAndDroppedAndTheConnectionKept() throws IOException {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            c.send("POST /direct HTTP/1.1\r\nhost: app.example\r\ncontent-length: 10\r\n\r\nhello");
            RawHttp1Connection.Response r = c.read();
            assertThat(r.status()).isEqualTo(418);
            assertThat(r.closesConnection()).isFalse();
            c.send("world");
            RawHttp1Connection.Response next = c.send("GET /after HTTP/1.1\r\nhost: app.example\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).contains("GET /after");
        }
    }
}
