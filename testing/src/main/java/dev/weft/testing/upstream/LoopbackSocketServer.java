package dev.weft.testing.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A blocking TCP server on 127.0.0.1 and an ephemeral port that hands each accepted connection to a handler on
 * its own virtual thread; the handler owns (and closes) the socket. The fixtures' common part.
 */
final class LoopbackSocketServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Consumer<Socket> handler;

    LoopbackSocketServer(Consumer<Socket> handler) {
        this.handler = handler;
        try {
            serverSocket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor.submit(this::acceptLoop);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    int acceptedConnections() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                accepted.incrementAndGet();
                executor.submit(() -> handler.accept(socket));
            } catch (IOException e) {
                return;
            }
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
