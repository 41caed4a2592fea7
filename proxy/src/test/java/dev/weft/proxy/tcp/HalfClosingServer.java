package dev.weft.proxy.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server for one connection that reads the first bytes, answers "bye" and half-closes, then keeps reading
 * until the client half-closes too: what it read in all is {@link #received}.
 */
final class HalfClosingServer implements AutoCloseable {

    private final ServerSocket server;
    private final CompletableFuture<String> received = new CompletableFuture<>();

    private HalfClosingServer(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().start(this::serveOne);
    }

    static HalfClosingServer start() throws IOException {
        return new HalfClosingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return server.getLocalPort();
    }

    private void serveOne() {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            byte[] first = new byte[5];
            int n = in.readNBytes(first, 0, first.length);
            s.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            received.complete(new String(first, 0, n, StandardCharsets.UTF_8) + rest);
        } catch (IOException e) {
            received.completeExceptionally(e);
        }
    }

    String received() throws Exception {
        return received.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
