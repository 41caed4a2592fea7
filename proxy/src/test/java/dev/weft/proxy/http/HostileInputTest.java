package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.RawHttp1Connection;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw sockets sending what no well-behaved client would; every case gets a status or a close, never a hang. */
class HostileInputTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;

    @BeforeEach
    void start() {
        proxy = ProxyHarness.start(Bootstraps.http(Bootstraps.indent("""
                request_headers_timeout: 0.3s
                max_request_headers_kb: 8
                """, 10), Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up }
                """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
    }

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    /** Sends bytes and reads until the proxy closes the connection. */
    private String exchange(String raw) throws IOException {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            return c.send(raw).readUntilClose();
        }
    }

    @Test
    void garbageRequestLineGets400AndClose() throws IOException {
        assertThat(exchange("THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void badHeaderGets400AndClose() throws IOException {
        assertThat(exchange("GET / HTTP/1.1\r\nHost: x\r\nbad header line\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void oversizedHeadersGet431AndClose() throws IOException {
        String big = "x-big: " + "a".repeat(10_000) + "\r\n";
        assertThat(exchange("GET / HTTP/1.1\r\nHost: x\r\n" + big + "\r\n")).startsWith("HTTP/1.1 431");
        assertThat(up.requestCount()).isZero();
    }

    @Test
    void slowHeadersGet408AndClose() throws IOException {
        assertThat(exchange("GET / HTTP/1.1\r\nHost: x\r\nx-slow: ")).startsWith("HTTP/1.1 408");
    }

    @Test
    void idleKeepAliveConnectionIsNotCutByTheHeaderTimeout() throws Exception {
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            // Idle past the header timeout: the proxy neither closes nor answers 408.
            assertThat(c.openAndSilentFor(700)).isTrue();
            String last = c.send("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readUntilClose();
            assertThat(last).startsWith("HTTP/1.1 200").contains("GET /b");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        String two = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String answer = exchange(two);
        assertThat(answer.indexOf("GET /one")).isPositive().isLessThan(answer.indexOf("GET /two"));
    }

    @Test
    void clientThatVanishesMidBodyDoesNotBreakTheProxy() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        }
        assertThat(proxy.get("/after").statusCode()).isEqualTo(200);
    }

    @Test
    void http2GarbageAfterThePrefaceClosesTheConnection() throws IOException {
        String answer = exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + "\u0000\u0000\u0004\u0009garbage-frames");
        assertThat(answer).doesNotContain("HTTP/1.1 200");
        assertThat(proxy.get("/still-fine").statusCode()).isEqualTo(200);
    }
}
