package dev.weft.testing.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on a Unix domain socket (as an app behind Istio's {@code defaultEndpoint: unix://...}): answers
 * every request without a body with 200 and the body {@code "<name> <method> <target>"}, keeping the connection open.
 */
public final class UnixSocketHttpUpstream implements AutoCloseable {

    private final String name;
    private final Path path;
    private final ServerSocketChannel server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger connections = new AtomicInteger();

    private UnixSocketHttpUpstream(String name, Path path) {
        this.name = name;
        this.path = path;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor.submit(this::acceptLoop);
    }

    /** Listens on {@code path} (which must not exist yet, e.g. in a JUnit temp directory). */
    public static UnixSocketHttpUpstream start(String name, Path path) {
        return new UnixSocketHttpUpstream(name, path);
    }

    public Path path() {
        return path;
    }

    public int connectionCount() {
        return connections.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                connections.incrementAndGet();
                executor.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; InputStream in = Channels.newInputStream(client); OutputStream out = Channels.newOutputStream(client)) {
            String head;
            while ((head = readHead(in)) != null) {
                String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
                byte[] body = (name + " " + requestLine[0] + " " + requestLine[1]).getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or sent something that is not HTTP/1.1: drop the connection.
        }
    }

    /** The request line and headers up to the blank line, or null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Already closed or removed.
        }
        executor.shutdownNow();
    }
}
