package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeHttpUpstream;
import dev.weft.testing.upstream.FakeResponse;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client that does not read must hold the upstream back instead of filling the proxy's memory. */
class BackpressureTest {

    private static final int SIZE = 24 << 20;

    private final FakeHttpUpstream up = FakeHttpUpstream.start("big");
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        up.close();
    }

    @Test
    void aSlowReaderThrottlesTheUpstream() throws Exception {
        byte[] body = new byte[SIZE];
        up.respondWith(r -> new FakeResponse(200, Map.of(), body, Duration.ZERO));
        proxy = ProxyHarness.start(Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: big, timeout: 0s }
                """), "", Bootstraps.staticCluster("big", "ROUND_ROBIN", "", up.port())));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.requestCount() == 1);
            // While nobody reads, the upstream cannot finish: the proxy stopped reading from it.
            Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                    .until(() -> up.completedCount() == 0);

            InputStream in = s.getInputStream();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
            }
            assertThat(total).isGreaterThan(SIZE);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> up.completedCount() == 1);
    }
}
