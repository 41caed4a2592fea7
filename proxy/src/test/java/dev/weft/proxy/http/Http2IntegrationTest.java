package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.Commands;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttp2Upstream;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downstream and upstream protocols are independent: h1 -> h2, h2 -> h1 and h2 -> h2, with trailers. */
class Http2IntegrationTest {

    private final FakeHttp2Upstream h2 = FakeHttp2Upstream.start("h2");
    private final FakeHttpUpstream h1 = FakeHttpUpstream.start("h1");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        h2.close();
        h1.close();
    }

    private void start() {
        // HTTP/1.0 is refused with 426 unless asked for, as in Envoy.
        proxy = ProxyHarness.start(Bootstraps.http(Bootstraps.indent("http_protocol_options: { accept_http_10: true }", 10),
                Bootstraps.anyHost("""
                - match: { prefix: /refused }
                  route: { cluster: h2, retry_policy: { retry_on: refused-stream, num_retries: 2, retry_back_off: { base_interval: 0.001s } } }
                - match: { prefix: /h2 }
                  route: { cluster: h2 }
                - match: { prefix: / }
                  route: { cluster: h1 }
                """), "", Bootstraps.staticCluster("h2", "ROUND_ROBIN", Bootstraps.HTTP2_UPSTREAM, h2.port()) + Bootstraps.staticCluster("h1", "ROUND_ROBIN", "", h1.port())));
    }

    @Test
    void http1ClientToHttp2Upstream() {
        start();
        HttpResponse<String> response = proxy.get("/h2/x?y=1", "x-test", "1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-protocol")).contains("h2");
        assertThat(response.body()).startsWith("GET /h2/x?y=1 HTTP/2").contains("x-test: 1");
        assertThat(proxy.get("/h2/again").statusCode()).isEqualTo(200);
        assertThat(h2.connectionCount()).as("one multiplexed connection per event loop").isLessThanOrEqualTo(2);
    }

    @Test
    void http10ClientGetsACloseDelimitedBodyFromAnHttp2Upstream() throws Exception {
        start();
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /h2/old HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("transfer-encoding")
                    .contains("connection: close").contains("GET /h2/old HTTP/2");
        }
    }

    @Test
    void refusedStreamIsRetried() {
        start();
        h2.refuseNextStreams(1);
        HttpResponse<String> response = proxy.get("/refused");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(h2.requestCount()).isEqualTo(1);
    }

    @Test
    void refusedStreamWithoutRetryIs503() {
        start();
        h2.refuseNextStreams(1);
        assertThat(proxy.get("/h2/x").statusCode()).isEqualTo(503);
    }

    @Test
    void http2PriorKnowledgeClientToHttp1Upstream() throws Exception {
        start();
        Commands.Result r = Commands.curl("--http2-prior-knowledge", "-i", "-d", "hello-body", "http://127.0.0.1:" + proxy.port() + "/plain");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).startsWith("HTTP/2 200").contains("x-upstream: h1").contains("POST /plain HTTP/1.1")
                .contains("hello-body");
    }

    @Test
    void http2EndToEndCarriesTrailers() throws Exception {
        start();
        Commands.Result r = Commands.curl("--http2-prior-knowledge", "-i", "http://127.0.0.1:" + proxy.port() + "/h2/t");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).startsWith("HTTP/2 200").contains("x-protocol: h2").contains("x-trailer: done");
    }

    /** Needs h2load (nghttp2-client, installed by .ci/run): a missing tool fails the test, it does not skip it. */
    @Test
    void concurrentStreamsOfOneConnectionAreAllAnswered() {
        start();
        Commands.Result r = Commands.run(List.of("h2load", "-n", "60", "-c", "1", "-m", "20", "-H", "x-fake-delay-ms: 50",
                "http://127.0.0.1:" + proxy.port() + "/parallel"));
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("requests: 60 total, 60 started, 60 done, 60 succeeded")
                .contains("status codes: 60 2xx");
        assertThat(h1.requestCount()).isEqualTo(60);
        assertThat(h1.maxConcurrentRequests()).as("streams were in flight together").isGreaterThan(1);
    }

    @Test
    void http2RequestBodyLargerThanTheFlowControlWindowArrivesWhole(@TempDir Path dir) throws Exception {
        start();
        byte[] body = new byte[1 << 20];
        Arrays.fill(body, (byte) 'b');
        Path file = Files.write(dir.resolve("body"), body);
        Commands.Result r = Commands.curl("--http2-prior-knowledge", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--data-binary", "@" + file, "http://127.0.0.1:" + proxy.port() + "/upload");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).isEqualTo("200");
        assertThat(h1.requests().getLast().body()).hasSize(body.length);
    }
}
