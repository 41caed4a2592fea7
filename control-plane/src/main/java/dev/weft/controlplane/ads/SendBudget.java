package dev.weft.controlplane.ads;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A bound on the response bytes weftd has handed to gRPC that have not left the process yet, across all streams.
 * A write takes its size from the budget first; a stream gives its bytes back once gRPC has written them to the
 * socket (the stream is ready again). Without it, thousands of slowly reading proxies each hold a queued response in
 * direct memory, which at 10,000 proxies was gigabytes.
 *
 * <p>Waiters are served strictly in arrival order, and once one waits, every later request queues behind it, so a
 * large response is never starved by small ones. One request larger than the whole budget is granted when nothing
 * else is in flight. Proxies that stop reading keep their last response's bytes until gRPC gives up on them, so the
 * budget must be much larger than a response times the proxies expected to stall at once.
 */
final class SendBudget {

    /** Enough for hundreds of full responses of a 100-service mesh, a small part of a default-sized heap. */
    static final long DEFAULT_BYTES = 64L * 1024 * 1024;

    private record Waiter(long bytes, Runnable granted) {
    }

    private final long limit;
    private final Queue<Waiter> waiting = new ArrayDeque<>();
    private long inFlight;
    private long peak;

    SendBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the send budget must be positive, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes {@code bytes} now and returns true, or queues the request and returns false; {@code granted} then runs,
     * with the bytes already taken, on the thread of the {@link #release} that made room.
     */
    boolean acquire(long bytes, Runnable granted) {
        synchronized (this) {
            if (waiting.isEmpty() && fits(bytes)) {
                take(bytes);
                return true;
            }
            waiting.add(new Waiter(bytes, granted));
            return false;
        }
    }

    void release(long bytes) {
        List<Runnable> granted = new ArrayList<>();
        synchronized (this) {
            inFlight -= bytes;
            while (!waiting.isEmpty() && fits(waiting.peek().bytes())) {
                Waiter next = waiting.remove();
                take(next.bytes());
                granted.add(next.granted());
            }
        }
        granted.forEach(Runnable::run);
    }

    private void take(long bytes) {
        inFlight += bytes;
        peak = Math.max(peak, inFlight);
    }

    synchronized long inFlight() {
        return inFlight;
    }

    /** The most ever in flight at once: at most the limit, or one response larger than it. */
    synchronized long peak() {
        return peak;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private boolean fits(long bytes) {
        return inFlight == 0 || inFlight + bytes <= limit;
    }
}
