package dev.weft.testing.upstream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 keep-alive server on 127.0.0.1 and an ephemeral port that sees its client connections come
 * and go, which the JDK's HTTP server does not show: {@link #acceptedConnections()} and {@link #openConnections()}.
 * Every request (its body is read by content-length) gets the status set by {@link #respondWith(int)}, the body
 * naming this server, and the {@code x-upstream} header.
 */
public final class KeepAliveHttpUpstream implements AutoCloseable {

    private final String name;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final LoopbackSocketServer server;
    private volatile int status = 200;

    private KeepAliveHttpUpstream(String name) {
        this.name = name;
        this.server = new LoopbackSocketServer(this::serve);
    }

    public static KeepAliveHttpUpstream start(String name) {
        return new KeepAliveHttpUpstream(name);
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.port();
    }

    public KeepAliveHttpUpstream respondWith(int newStatus) {
        status = newStatus;
        return this;
    }

    public int acceptedConnections() {
        return server.acceptedConnections();
    }

    /** Connections accepted and not yet closed by the client. */
    public int openConnections() {
        return open.get();
    }

    public int requestCount() {
        return requests.get();
    }

    private void serve(Socket socket) {
        open.incrementAndGet();
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            while (true) {
                int contentLength = readHead(in);
                if (contentLength < 0) {
                    return;
                }
                in.readNBytes(contentLength);
                requests.incrementAndGet();
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + " X\r\ncontent-length: " + body.length + "\r\nx-upstream: " + name
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException ignored) {
            // The client went away.
        } finally {
            open.decrementAndGet();
        }
    }

    /** Reads a request head; its content-length, or -1 when the client closed the connection. */
    private static int readHead(InputStream in) throws IOException {
        int contentLength = 0;
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return -1;
            }
            if (line.isEmpty()) {
                return contentLength;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(lower.substring("content-length:".length()).trim());
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        server.close();
    }
}
