package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.RawHttp1Connection;
import dev.weft.testing.upstream.FakeHttpUpstream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection manager's limits as Envoy applies them, each seen on a raw connection: the idle timeout, the
 * maximum duration and request count of a connection, the header count, header names with underscores, HTTP/1.0,
 * the Host header, and the HTTP/2 stream limit the proxy advertises.
 */
class ConnectionLimitsTest {

    private final FakeHttpUpstream up = FakeHttpUpstream.start("up");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        up.close();
    }

    private void start(String hcmExtras) {
        proxy = ProxyHarness.start(Bootstraps.http(Bootstraps.indent(hcmExtras, 10), Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: up, timeout: 0.5s }
                """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", up.port())));
    }

    private long stat(String name) {
        return proxy.server().stats().value("http.ingress_http." + name);
    }

    private static String get(String path, String... headerLines) {
        return "GET " + path + " HTTP/1.1\r\nhost: x\r\n" + String.join("", headerLines) + "\r\n";
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutButNotWhileARequestRuns() throws IOException {
        start("common_http_protocol_options: { idle_timeout: 0.3s }");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            // The upstream takes longer than the idle timeout: an active request keeps the connection.
            RawHttp1Connection.Response slow = c.send(get("/slow", "x-fake-delay-ms: 450\r\n")).read();
            assertThat(slow.status()).isEqualTo(200);
            assertThat(c.closedByPeer()).as("closed once idle").isTrue();
        }
        assertThat(stat("downstream_cx_idle_timeout")).isEqualTo(1);
    }

    @Test
    void theDefaultIdleTimeoutIsAnHourSoAQuietConnectionStays() throws IOException {
        start("");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send(get("/a")).read().status()).isEqualTo(200);
            assertThat(c.openAndSilentFor(500)).isTrue();
        }
    }

    @Test
    void aConnectionPastItsMaximumDurationEndsAfterTheResponseInFlightWhichSaysSo() throws IOException {
        start("common_http_protocol_options: { max_connection_duration: 0.2s }");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            RawHttp1Connection.Response r = c.send(get("/slow", "x-fake-delay-ms: 400\r\n")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.closesConnection()).isTrue();
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawHttp1Connection idle = new RawHttp1Connection(proxy.port())) {
            assertThat(idle.closedByPeer()).as("an idle connection closes at once when its time is up").isTrue();
        }
        assertThat(stat("downstream_cx_max_duration_reached")).isEqualTo(2);
    }

    @Test
    void theLastRequestAllowedOnAConnectionGetsConnectionClose() throws IOException {
        start("common_http_protocol_options: { max_requests_per_connection: 2 }");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send(get("/1")).read().closesConnection()).isFalse();
            assertThat(c.send(get("/2")).read().closesConnection()).isTrue();
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(stat("downstream_cx_max_requests_reached")).isEqualTo(1);
    }

    @Test
    void moreHeadersThanAllowedGet431AndReachNobody() throws IOException {
        start("common_http_protocol_options: { max_headers_count: 5 }");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            // host plus four: five headers are allowed.
            assertThat(c.send(get("/five", "a: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n")).read().status()).isEqualTo(200);
        }
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            RawHttp1Connection.Response r = c.send(get("/six", "a: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\ne: 5\r\n")).read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.closesConnection()).isTrue();
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(up.requests()).extracting(q -> q.uri()).containsExactly("/five");
    }

    @Test
    void envoysDefaultOfAHundredHeaders() throws IOException {
        start("");
        String many = "x-h: v\r\n".repeat(100);
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send(get("/many", many)).read().status()).isEqualTo(431);
        }
        assertThat(up.requestCount()).isZero();
    }

    @Test
    void headersWithUnderscoresRejected() throws IOException {
        start("common_http_protocol_options: { headers_with_underscores_action: REJECT_REQUEST }");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send(get("/u", "x_user: admin\r\n")).read().status()).isEqualTo(400);
        }
        assertThat(up.requestCount()).isZero();
        assertThat(proxy.server().stats().value("http1.requests_rejected_with_underscores_in_headers")).isEqualTo(1);
    }

    @Test
    void headersWithUnderscoresDropped() throws IOException {
        start("common_http_protocol_options: { headers_with_underscores_action: DROP_HEADER }");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            RawHttp1Connection.Response r = c.send(get("/u", "x_user: admin\r\nx-kept: yes\r\n")).read();
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(up.requests().get(0).header("x_user")).isNull();
        assertThat(up.requests().get(0).header("x-kept")).isEqualTo("yes");
        assertThat(proxy.server().stats().value("http1.dropped_headers_with_underscores")).isEqualTo(1);
    }

    @Test
    void http10IsRefusedWith426UnlessAccepted() throws IOException {
        start("");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            assertThat(c.send("GET /old HTTP/1.0\r\nhost: x\r\n\r\n").read().status()).isEqualTo(426);
        }
        assertThat(up.requestCount()).isZero();
    }

    @Test
    void http10WithoutHostGetsTheDefaultHost() throws IOException {
        start("http_protocol_options: { accept_http_10: true, default_host_for_http_10: legacy.example }");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            String answer = c.send("GET /old HTTP/1.0\r\n\r\n").readUntilClose();
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
        assertThat(up.requests().get(0).header("host")).isEqualTo("legacy.example");
    }

    @Test
    void aRequestWithoutHostOrWithTwoGets400AndReachesNobody() throws IOException {
        start("");
        for (String request : new String[] {"GET /none HTTP/1.1\r\n\r\n",
                "GET /two HTTP/1.1\r\nhost: a.example\r\nhost: b.example\r\n\r\n"}) {
            try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
                RawHttp1Connection.Response r = c.send(request).read();
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.closesConnection()).isTrue();
            }
        }
        assertThat(up.requestCount()).isZero();
    }

    @Test
    void theRouteTimeoutRunsFromTheEndOfTheRequestNotItsHeaders() throws IOException {
        start("");
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 12\r\n\r\n");
            // A slow upload, longer in all than the 0.5 s route timeout.
            for (String part : new String[] {"slow", "upld", "done"}) {
                assertThat(c.openAndSilentFor(300)).isTrue();
                c.send(part);
            }
            assertThat(c.read().status()).isEqualTo(200);
        }
        try (RawHttp1Connection c = new RawHttp1Connection(proxy.port())) {
            // Once the request has ended, the timeout still cuts a slow upstream.
            assertThat(c.send(get("/slow", "x-fake-delay-ms: 2000\r\n")).read().status()).isEqualTo(504);
        }
    }

    @Test
    void http2AdvertisesTheConfiguredStreamLimit() throws IOException {
        start("http2_protocol_options: { max_concurrent_streams: 7 }");
        assertThat(advertisedMaxConcurrentStreams()).isEqualTo(7);
    }

    /** Sends the HTTP/2 preface with empty SETTINGS and reads SETTINGS_MAX_CONCURRENT_STREAMS from the server's. */
    private long advertisedMaxConcurrentStreams() throws IOException {
        try (Socket s = http2Connection()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
            assertThat(in.readUnsignedByte()).as("the server's first frame is SETTINGS").isEqualTo(4);
            in.readUnsignedByte();
            in.readInt();
            for (int read = 0; read < length; read += 6) {
                int id = in.readUnsignedShort();
                long value = Integer.toUnsignedLong(in.readInt());
                if (id == 3) {
                    return value;
                }
            }
            return -1;
        }
    }

    private Socket http2Connection() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
        out.flush();
        return s;
    }

    /** The type of every frame the server sends until it closes the connection. */
    private static List<Integer> frameTypesUntilClose(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        List<Integer> types = new ArrayList<>();
        int first;
        while ((first = in.read()) >= 0) {
            int length = (first << 16) | in.readUnsignedShort();
            types.add(in.readUnsignedByte());
            in.skipNBytes(5L + length);
        }
        return types;
    }

    @Test
    void theAdvertisedStreamLimitDefaultsToEnvoys() throws IOException {
        start("");
        assertThat(advertisedMaxConcurrentStreams()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void anIdleHttp2ConnectionGetsGoawayAfterTheIdleTimeoutAndCloses() throws IOException {
        start("common_http_protocol_options: { idle_timeout: 0.2s }");
        try (Socket s = http2Connection()) {
            assertThat(frameTypesUntilClose(s)).as("SETTINGS, SETTINGS ack, then GOAWAY").endsWith(7);
        }
        assertThat(stat("downstream_cx_idle_timeout")).isEqualTo(1);
    }
}
