package dev.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/** The TCP upstream for the throughput scenario: accepts on loopback and reads and counts every byte. */
final class TcpSink implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicLong received = new AtomicLong();

    private TcpSink(ServerSocket server) {
        this.server = server;
        Thread.ofPlatform().daemon().name("tcp-sink-accept").start(this::acceptLoop);
    }

    static TcpSink start() {
        try {
            return new TcpSink(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    long bytesReceived() {
        return received.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofPlatform().daemon().name("tcp-sink-read").start(() -> drain(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void drain(Socket socket) {
        byte[] buffer = new byte[64 * 1024];
        try (socket; InputStream in = socket.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.addAndGet(n);
            }
        } catch (IOException reset) {
            // A proxy closing its upstream side ends this connection; the bytes so far are counted.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing a listening socket only fails if it is already closed.
        }
    }
}
