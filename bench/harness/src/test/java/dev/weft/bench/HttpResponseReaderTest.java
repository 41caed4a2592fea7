package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsBackToBackResponsesOnOneKeepAliveStream() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\n\r\nno"
                + "HTTP/1.1 204 No Content\r\n\r\n");

        assertThat(HttpResponseReader.readResponse(in)).isEqualTo(200);
        assertThat(HttpResponseReader.readResponse(in)).isEqualTo(503);
        assertThat(HttpResponseReader.readResponse(in)).isEqualTo(204);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailers() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\nwxyz\r\n10\r\n0123456789abcdef\r\n0\r\nx-trailer: t\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");

        assertThat(HttpResponseReader.readResponse(in)).isEqualTo(200);
        assertThat(HttpResponseReader.readResponse(in)).isEqualTo(201);
    }

    @Test
    void aConnectionClosedMidResponseIsAnError() {
        assertThatThrownBy(() -> HttpResponseReader.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort")))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> HttpResponseReader.readResponse(stream("HTTP/1.1 200 OK\r\nContent-")))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> HttpResponseReader.readResponse(stream("SSH-2.0-OpenSSH\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("not an HTTP/1.x response");
    }
}
