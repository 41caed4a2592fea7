package dev.weft.proxy.upstream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Live counts against a cluster's thresholds. Shared by all event loops, so each count is an atomic. */
public final class CircuitBreakers {

    private final CircuitBreakerThresholds limits;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    /** Pools (on any event loop) with requests waiting for a connection slot, woken when one frees up. */
    private final Queue<Runnable> connectionWaiters = new ConcurrentLinkedQueue<>();

    CircuitBreakers(CircuitBreakerThresholds limits) {
        this.limits = limits;
    }

    public boolean tryAcquireRequest() {
        return tryAcquire(requests, limits.maxRequests());
    }

    public void releaseRequest() {
        requests.decrementAndGet();
    }

    public boolean tryAcquireRetry() {
        return tryAcquire(retries, limits.maxRetries());
    }

    public void releaseRetry() {
        retries.decrementAndGet();
    }

    public boolean tryAcquirePending() {
        return tryAcquire(pending, limits.maxPendingRequests());
    }

    public void releasePending() {
        pending.decrementAndGet();
    }

    public boolean tryAcquireConnection() {
        return tryAcquire(connections, limits.maxConnections());
    }

    public void releaseConnection() {
        connections.decrementAndGet();
        Runnable waiter;
        while ((waiter = connectionWaiters.poll()) != null) {
            waiter.run();
        }
    }

    /**
     * Calls {@code onFree} once, when the next connection is released. Every waiter is woken and re-checks, so
     * a slot freed by one host's pool reaches requests waiting in another's.
     */
    public void awaitConnection(Runnable onFree) {
        connectionWaiters.add(onFree);
    }

    private static boolean tryAcquire(AtomicInteger counter, int max) {
        while (true) {
            int now = counter.get();
            if (now >= max) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
