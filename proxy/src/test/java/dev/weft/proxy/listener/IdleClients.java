package dev.weft.proxy.listener;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that tries COUNT idle TCP connections to 127.0.0.1:PORT, prints {@code opened=N closed=K failed=F}
 * (K: how many the server closed at once; F: attempts that timed out, because the server's accept queue was full),
 * holds them until its stdin ends, then resets them all. After four failed attempts in a row it stops trying. Tests run
 * several of these to hold more connections than one process's descriptor limit allows.
 */
public final class IdleClients {

    /** Longer than the kernel's first SYN retransmission (1 s), so a momentarily full accept queue is waited out. */
    private static final int CONNECT_TIMEOUT_MILLIS = 1500;
    private static final int MAX_FAILED_IN_A_ROW = 4;

    private IdleClients() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        List<Socket> sockets = new ArrayList<>(count);
        int failed = 0;
        int failedInARow = 0;
        for (int i = 0; i < count && failedInARow < MAX_FAILED_IN_A_ROW; i++) {
            Socket s = new Socket();
            s.setSoLinger(true, 0); // closing resets: no TIME_WAIT eating the ephemeral ports
            try {
                s.connect(target, CONNECT_TIMEOUT_MILLIS);
                sockets.add(s);
                failedInARow = 0;
            } catch (IOException e) {
                s.close();
                failed++;
                failedInARow++;
            }
        }
        int closed = 0;
        for (Socket s : sockets) {
            s.setSoTimeout(1);
            try {
                if (s.getInputStream().read() < 0) {
                    closed++;
                }
            } catch (SocketTimeoutException stillOpen) {
                // Held by the server, or not accepted yet.
            } catch (IOException reset) {
                closed++;
            }
        }
        System.out.println("opened=" + sockets.size() + " closed=" + closed + " failed=" + failed);
        System.out.flush();
        InputStream stdin = System.in;
        while (stdin.read() >= 0) {
            // Hold the connections until the test closes our stdin.
        }
        for (Socket s : sockets) {
            s.close();
        }
    }
}
