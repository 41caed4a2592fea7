package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readUntilClose(s.getInputStream());
        }
    }

    private static String readUntilClose(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                buf.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy neither answered nor closed: got " + buf, e);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
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
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String first = readResponse(in);
            assertThat(first).startsWith("HTTP/1.1 200");
            // Idle past the header timeout: the proxy neither closes nor answers 408 (the read times out).
            s.setSoTimeout(700);
            org.assertj.core.api.Assertions.assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            s.setSoTimeout(5000);
            out.write("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readUntilClose(in)).startsWith("HTTP/1.1 200").contains("GET /b");
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

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int contentLength = -1;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            sb.append(line).append("\r\n");
            if (line.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        sb.append("\r\n").append(new String(in.readNBytes(Math.max(0, contentLength)), StandardCharsets.ISO_8859_1));
        return sb.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
