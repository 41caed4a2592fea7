package dev.weft.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A TCP echo server on loopback that counts the connections it accepted, the ones that ended, and every byte it read. */
public final class RecordingEchoServer implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();

    private RecordingEchoServer(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public static RecordingEchoServer start() throws IOException {
        return new RecordingEchoServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    public int port() {
        return server.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    public int ended() {
        return ended.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    /**
     * Writes {@code message} on {@code socket} and returns what came back: the echo, or less (empty) when the
     * connection ended first.
     */
    public static String roundTrip(Socket socket, String message) throws IOException {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        try {
            return new String(socket.getInputStream().readNBytes(message.length()), StandardCharsets.UTF_8);
        } catch (SocketException reset) {
            return "";
        }
    }

    /** {@link #roundTrip(Socket, String)} on a new plain connection to 127.0.0.1:{@code port}. */
    public static String roundTrip(int port, String message) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return roundTrip(s, message);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> echo(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket s) {
        try (s; InputStream in = s.getInputStream()) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytesRead.addAndGet(n);
                s.getOutputStream().write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The proxy closed the connection: that is the end too.
        } finally {
            ended.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
