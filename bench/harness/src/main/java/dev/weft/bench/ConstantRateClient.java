package dev.weft.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP/1.1 keep-alive load generator at a constant total request rate (wrk2's model, since Debian has no
 * wrk2). Each connection sends on its own fixed schedule; latency is measured from the time a request was due,
 * not from when it was sent, so a stalled server is charged for the requests queued behind the stall
 * (no coordinated omission).
 */
final class ConstantRateClient {

    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;

    record Result(long requests, long errors, double achievedRps, LatencySummary latency) {
    }

    private final InetSocketAddress target;
    private final String path;

    ConstantRateClient(InetSocketAddress target, String path) {
        this.target = target;
        this.path = path;
    }

    Result run(int connections, double requestsPerSecond, Duration duration) throws InterruptedException {
        long intervalNanos = (long) (connections * 1e9 / requestsPerSecond);
        long start = System.nanoTime() + 50_000_000L;
        long end = start + duration.toNanos();
        List<ConnectionLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            ConnectionLoop loop = new ConnectionLoop(start + i * intervalNanos / connections, intervalNanos, end);
            loops.add(loop);
            threads.add(Thread.ofPlatform().name("constant-rate-" + i).start(loop));
        }
        for (Thread t : threads) {
            t.join(duration.toMillis() + 2L * SOCKET_TIMEOUT_MILLIS);
            t.interrupt();
        }
        long errors = loops.stream().mapToLong(l -> l.errors).sum();
        long[] all = loops.stream().flatMapToLong(l -> Arrays.stream(l.latencies, 0, l.count)).toArray();
        return new Result(all.length, errors, all.length / (duration.toNanos() / 1e9), LatencySummary.ofNanos(all));
    }

    private final class ConnectionLoop implements Runnable {
        private final long firstDue;
        private final long interval;
        private final long end;
        private long[] latencies = new long[1024];
        private int count;
        private long errors;

        ConnectionLoop(long firstDue, long interval, long end) {
            this.firstDue = firstDue;
            this.interval = interval;
            this.end = end;
        }

        @Override
        public void run() {
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + target.getHostString() + ":" + target.getPort()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            Socket socket = null;
            InputStream in = null;
            for (long due = firstDue; due < end && !Thread.currentThread().isInterrupted(); due += interval) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                try {
                    if (socket == null) {
                        socket = connect();
                        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    int status = HttpResponseReader.readResponse(in);
                    record(System.nanoTime() - due);
                    if (status != 200) {
                        errors++;
                    }
                } catch (IOException e) {
                    errors++;
                    closeQuietly(socket);
                    socket = null;
                }
            }
            closeQuietly(socket);
        }

        private Socket connect() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            s.connect(target, SOCKET_TIMEOUT_MILLIS);
            return s;
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // The connection is being dropped either way.
            }
        }
    }
}
