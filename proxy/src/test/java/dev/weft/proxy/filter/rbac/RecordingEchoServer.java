package dev.weft.proxy.filter.rbac;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A TCP echo server on loopback that counts the connections it accepted, the ones that ended, and every byte it read. */
final class RecordingEchoServer implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();

    private RecordingEchoServer(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    static RecordingEchoServer start() throws IOException {
        return new RecordingEchoServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    int ended() {
        return ended.get();
    }

    long bytesRead() {
        return bytesRead.get();
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
