package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The HTTP/1 downstream codec's edge cases, byte for byte, on an EmbeddedChannel with time moved by hand. */
class Http1DownstreamCodecTest {

    private static final String GET_OK = "GET /ok HTTP/1.1\r\nhost: x\r\n\r\n";

    @Test
    void pipelinedRequestsInOneReadAreAnsweredInOrderOnAnOpenConnection() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("");
        hcm.write(GET_OK + "GET /teapot HTTP/1.1\r\nhost: x\r\n\r\n" + GET_OK);
        String out = hcm.written();
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(out.indexOf("HTTP/1.1 418")).isGreaterThan(0).isLessThan(out.lastIndexOf("HTTP/1.1 200"));
        assertThat(out.split("HTTP/1.1 ", -1)).hasSize(4);
        assertThat(out).doesNotContainIgnoringCase("connection: close");
        assertThat(hcm.channel.isOpen()).isTrue();
    }

    @Test
    void aRequestSplitAcrossManyReadsIsOneRequest() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("");
        for (char c : GET_OK.toCharArray()) {
            hcm.write(String.valueOf(c));
        }
        assertThat(hcm.written()).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 2").endsWith("ok");
        assertThat(hcm.channel.isOpen()).isTrue();
    }

    @Test
    void aLocalReplyBeforeAnUnknownBodyRestSaysCloseAndCloses() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("");
        hcm.write("POST /ok HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n");
        assertThat(hcm.written()).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(hcm.channel.isOpen()).isFalse();
    }

    @Test
    void aShortBodyRestIsReadAndDroppedBeforeTheNextRequest() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("");
        hcm.write("POST /teapot HTTP/1.1\r\nhost: x\r\ncontent-length: 6\r\n\r\nab");
        assertThat(hcm.written()).startsWith("HTTP/1.1 418").doesNotContainIgnoringCase("connection: close");
        hcm.write("cdef" + GET_OK);
        assertThat(hcm.written()).startsWith("HTTP/1.1 200");
        assertThat(hcm.channel.isOpen()).isTrue();
    }

    @Test
    void http10GetsAContentLengthAndTheConnectionCloses() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("http_protocol_options: { accept_http_10: true }\n");
        hcm.write("GET /ok HTTP/1.0\r\nhost: x\r\n\r\n");
        assertThat(hcm.written()).startsWith("HTTP/1.1 200").contains("content-length: 2")
                .containsIgnoringCase("connection: close");
        assertThat(hcm.channel.isOpen()).isFalse();
    }

    @Test
    void http10KeepAliveIsHonoured() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("http_protocol_options: { accept_http_10: true }\n");
        hcm.write("GET /ok HTTP/1.0\r\nhost: x\r\nconnection: keep-alive\r\n\r\n");
        assertThat(hcm.written()).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
        assertThat(hcm.channel.isOpen()).isTrue();
    }

    @Test
    void aBrokenHeaderLineGets400AndClose() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("");
        hcm.write("GET /ok HTTP/1.1\r\nhost: x\r\nno colon here\r\n\r\n" + GET_OK);
        String out = hcm.written();
        assertThat(out).startsWith("HTTP/1.1 400").containsIgnoringCase("connection: close");
        assertThat(out).as("nothing after the bad request is served").doesNotContain("HTTP/1.1 200");
        assertThat(hcm.channel.isOpen()).isFalse();
        assertThat(hcm.stat("downstream_cx_protocol_error")).isEqualTo(1);
    }

    @Test
    void headersThatNeverEndGet408AfterTheHeaderTimeout() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("request_headers_timeout: 2s\n");
        hcm.write("GET /ok HTTP/1.1\r\nhost: x\r\nx-slow: ");
        hcm.advance(Duration.ofSeconds(1));
        assertThat(hcm.channel.isOpen()).isTrue();
        hcm.advance(Duration.ofSeconds(2));
        assertThat(hcm.written()).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close");
        assertThat(hcm.channel.isOpen()).isFalse();
    }

    @Test
    void theIdleTimeoutCountsFromTheLastResponseNotFromTheConnection() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager(
                "common_http_protocol_options: { idle_timeout: 10s }\n");
        hcm.advance(Duration.ofSeconds(8));
        hcm.write(GET_OK);
        assertThat(hcm.written()).startsWith("HTTP/1.1 200");
        hcm.advance(Duration.ofSeconds(8));
        assertThat(hcm.channel.isOpen()).as("8 s after the response").isTrue();
        hcm.advance(Duration.ofSeconds(3));
        assertThat(hcm.channel.isOpen()).isFalse();
        assertThat(hcm.stat("downstream_cx_idle_timeout")).isEqualTo(1);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedByTheIdleTimeout() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager(
                "common_http_protocol_options: { idle_timeout: 5s }\n");
        hcm.advance(Duration.ofSeconds(6));
        assertThat(hcm.channel.isOpen()).isFalse();
    }

    @Test
    void maxRequestsPerConnectionClosesAfterTheLastAnswerWhichSaysSo() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager(
                "common_http_protocol_options: { max_requests_per_connection: 2 }\n");
        hcm.write(GET_OK + GET_OK + GET_OK);
        String out = hcm.written();
        assertThat(out.split("HTTP/1.1 200", -1)).as("two answers, the third request is dropped").hasSize(3);
        assertThat(out.substring(out.lastIndexOf("HTTP/1.1 200"))).containsIgnoringCase("connection: close");
        assertThat(hcm.channel.isOpen()).isFalse();
    }

    @Test
    void maxConnectionDurationDrainsAnIdleConnectionAtOnce() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager(
                "common_http_protocol_options: { max_connection_duration: 30s }\n");
        hcm.write(GET_OK);
        assertThat(hcm.written()).doesNotContainIgnoringCase("connection: close");
        hcm.advance(Duration.ofSeconds(31));
        assertThat(hcm.channel.isOpen()).isFalse();
        assertThat(hcm.stat("downstream_cx_max_duration_reached")).isEqualTo(1);
    }

    @Test
    void aHeadResponseCarriesNoBody() {
        EmbeddedConnectionManager hcm = new EmbeddedConnectionManager("");
        hcm.write("HEAD /ok HTTP/1.1\r\nhost: x\r\n\r\n" + GET_OK);
        String out = hcm.written();
        assertThat(out).startsWith("HTTP/1.1 200");
        assertThat(out.substring(0, out.indexOf("HTTP/1.1 200", 1))).as("HEAD answer").endsWith("\r\n\r\n");
    }
}
