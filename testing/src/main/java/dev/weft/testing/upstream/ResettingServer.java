package dev.weft.testing.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A server on 127.0.0.1 that reads the start of each request and then drops the connection without answering. */
public final class ResettingServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger connections = new AtomicInteger();

    private ResettingServer() {
        try {
            serverSocket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor.submit(this::acceptLoop);
    }

    public static ResettingServer start() {
        return new ResettingServer();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public int connectionCount() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.incrementAndGet();
                executor.submit(() -> {
                    try (socket) {
                        socket.getInputStream().read(new byte[1024]);
                        socket.setSoLinger(true, 0);
                    } catch (IOException ignored) {
                        // Dropping the connection is the point.
                    }
                });
            } catch (IOException e) {
                return;
            }
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
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        executor.shutdownNow();
    }
}
