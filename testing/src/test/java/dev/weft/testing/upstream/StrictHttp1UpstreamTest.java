package dev.weft.testing.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictHttp1UpstreamTest {

    private static String exchange(StrictHttp1Upstream upstream, String raw) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), upstream.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void recordsEachRequestAsFramedOnOneConnection() throws IOException {
        try (StrictHttp1Upstream upstream = StrictHttp1Upstream.start()) {
            String answers = exchange(upstream, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nx-trailer: t\r\n\r\n"
                    + "PUT /b HTTP/1.1\r\nhost: x\r\nX-Two: 1\r\nx-two: 2\r\ncontent-length: 3\r\n\r\nxyz");
            assertThat(answers).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".repeat(2));
            assertThat(upstream.requests()).extracting(r -> r.method() + " " + r.target() + " " + r.bodyText())
                    .containsExactly("POST /a abcde", "PUT /b xyz");
            assertThat(upstream.requests().get(1).headerValues("X-TWO")).containsExactly("1", "2");
            assertThat(upstream.requests()).extracting(StrictHttp1Upstream.ForwardedRequest::connection)
                    .containsOnly(upstream.requests().get(0).connection());
            assertThat(upstream.framingErrors()).isEmpty();
        }
    }

    @Test
    void whatALenientServerCouldReadDifferentlyIsAFramingError() throws IOException {
        String[] ambiguous = {
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\nx",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n",
            "GET / HTTP/1.1\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        };
        try (StrictHttp1Upstream upstream = StrictHttp1Upstream.start()) {
            for (String raw : ambiguous) {
                assertThat(exchange(upstream, raw)).as(raw).isEmpty();
            }
            assertThat(upstream.framingErrors()).hasSize(ambiguous.length);
            assertThat(upstream.requests()).isEmpty();
        }
    }
}
