package dev.weft.controlplane.debug;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport's limits, on a real socket: time to send a request, header size, body size. */
class ApiServerTest {

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private ApiServer server;

    @AfterEach
    void stop() {
        server.close();
        workers.shutdownNow();
    }

    private ApiServer start(ApiServer.Limits limits) throws IOException {
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0), request -> new ApiResponse(200,
                JsonNodeFactory.instance.objectNode().put("bytes", request.body().length())), workers, limits);
        return server;
    }

    /** Sends {@code raw} and reads until the server closes the connection (or 10 s pass). */
    private String exchange(String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readToEnd(socket.getInputStream());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestNotCompleteWithinTheTimeoutIsAnswered408AndClosed() throws Exception {
        start(new ApiServer.Limits(Duration.ofMillis(300), 16 * 1024, 1024));
        long started = System.nanoTime();

        String answer = exchange("POST /apply HTTP/1.1\r\nHost: weftd\r\nContent-Length: 100\r\n\r\nhalf");

        assertThat(answer).startsWith("HTTP/1.1 408 ").contains("no complete request within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void headersOverTheLimitAre431AndABodyOverTheLimitIs413BeforeItIsSent() throws Exception {
        start(new ApiServer.Limits(Duration.ofSeconds(10), 1024, 1024));

        assertThat(exchange("GET /ready HTTP/1.1\r\nHost: weftd\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        assertThat(exchange("POST /apply HTTP/1.1\r\nHost: weftd\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"))
                .as("refused on the length alone; the body is never sent").startsWith("HTTP/1.1 413 ");
        assertThat(exchange("POST /apply HTTP/1.1\r\nHost: weftd\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                + "x".repeat(1000))).startsWith("HTTP/1.1 200 ").contains("\"bytes\" : 1000");
    }
}
