package dev.weft.proxy.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/** Live counts against a cluster's thresholds. Shared by all event loops, so each count is an atomic. */
public final class CircuitBreakers {

    private final CircuitBreakerThresholds limits;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();

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
