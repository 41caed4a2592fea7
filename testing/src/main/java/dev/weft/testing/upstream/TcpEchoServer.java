package dev.weft.testing.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP server on 127.0.0.1 and an ephemeral port that writes back every byte it reads, prefixed once by a greeting. */
public final class TcpEchoServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger connections = new AtomicInteger();
    private final String greeting;

    private TcpEchoServer(String greeting) {
        this.greeting = greeting;
        try {
            serverSocket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor.submit(this::acceptLoop);
    }

    /** Starts an echo server that first sends {@code greeting} (may be empty) on each connection. */
    public static TcpEchoServer start(String greeting) {
        return new TcpEchoServer(greeting);
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
                executor.submit(() -> echo(socket));
            } catch (IOException e) {
                return;
            }
        }
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
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        executor.shutdownNow();
    }
}
