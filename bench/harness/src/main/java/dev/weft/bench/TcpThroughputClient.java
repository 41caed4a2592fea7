package dev.weft.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Pushes bytes through a TCP proxy to a {@link TcpSink} over several connections for a fixed time, and reports the
 * rate at which the sink received them (so bytes still buffered in the proxy are not counted).
 */
final class TcpThroughputClient {

    private static final int CHUNK = 64 * 1024;

    record Result(long bytes, double megabytesPerSecond, long errors) {
    }

    private final InetSocketAddress target;
    private final LongSupplier sinkBytes;

    TcpThroughputClient(InetSocketAddress target, LongSupplier sinkBytes) {
        this.target = target;
        this.sinkBytes = sinkBytes;
    }

    Result run(int connections, Duration duration) throws InterruptedException {
        AtomicLong errors = new AtomicLong();
        long before = sinkBytes.getAsLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            writers.add(Thread.ofPlatform().name("tcp-writer-" + i).start(() -> write(end, errors)));
        }
        for (Thread t : writers) {
            t.join(duration.toMillis() + 5_000);
            t.interrupt();
        }
        long bytes = sinkBytes.getAsLong() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(bytes, bytes / seconds / 1e6, errors.get());
    }

    private void write(long end, AtomicLong errors) {
        byte[] chunk = new byte[CHUNK];
        try (Socket socket = new Socket()) {
            socket.connect(target, 5_000);
            OutputStream out = socket.getOutputStream();
            while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                out.write(chunk);
            }
        } catch (IOException e) {
            errors.incrementAndGet();
        }
    }
}
