package dev.weft.testing.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A TCP server on 127.0.0.1 and an ephemeral port that writes back every byte it reads, prefixed once by a greeting. */
public final class TcpEchoServer implements AutoCloseable {

    private final String greeting;
    private final LoopbackSocketServer server;

    private TcpEchoServer(String greeting) {
        this.greeting = greeting;
        this.server = new LoopbackSocketServer(this::echo);
    }

    /** Starts an echo server that first sends {@code greeting} (may be empty) on each connection. */
    public static TcpEchoServer start(String greeting) {
        return new TcpEchoServer(greeting);
    }

    public int port() {
        return server.port();
    }

    public int connectionCount() {
        return server.acceptedConnections();
    }

    private void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            out.write(greeting.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // The peer went away; nothing to answer.
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
