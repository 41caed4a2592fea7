package dev.weft.testing.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A server on 127.0.0.1 that reads the start of each request and then drops the connection without answering. */
public final class ResettingServer implements AutoCloseable {

    private final LoopbackSocketServer server = new LoopbackSocketServer(ResettingServer::reset);

    private ResettingServer() {
    }

    public static ResettingServer start() {
        return new ResettingServer();
    }

    public int port() {
        return server.port();
    }

    public int connectionCount() {
        return server.acceptedConnections();
    }

    private static void reset(Socket socket) {
        try (socket) {
            socket.getInputStream().read(new byte[1024]);
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Dropping the connection is the point.
        }
    }

    /** A port on 127.0.0.1 that nothing listens on, for connect-failure tests. */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
