package dev.weft.proxy.upstream;

import dev.weft.proxy.stats.Stats;
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

    /**
     * Envoy's circuit breaker gauges under {@code cluster.<name>.}: per resource {@code circuit_breakers.default.*_open}
     * (1 while the resource is at its limit and admits nothing more, else 0) and, with track_remaining,
     * {@code remaining_*}; and {@code upstream_rq_pending_active}, the requests waiting for a connection now.
     */
    void publish(Stats stats, String clusterPrefix) {
        String p = clusterPrefix + "circuit_breakers.default.";
        gauges(stats, p, "cx_open", "remaining_cx", connections, limits.maxConnections());
        gauges(stats, p, "rq_pending_open", "remaining_pending", pending, limits.maxPendingRequests());
        gauges(stats, p, "rq_open", "remaining_rq", requests, limits.maxRequests());
        gauges(stats, p, "rq_retry_open", "remaining_retries", retries, limits.maxRetries());
        stats.computedGauge(clusterPrefix + "upstream_rq_pending_active", pending::get);
    }

    private void gauges(Stats stats, String prefix, String open, String remaining, AtomicInteger count, int max) {
        stats.computedGauge(prefix + open, () -> count.get() >= max ? 1 : 0);
        if (limits.trackRemaining()) {
            stats.computedGauge(prefix + remaining, () -> Math.max(0, max - count.get()));
        }
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

    /**
     * Takes a connection slot even past the limit. Envoy does this for a pool with no connection at all, so
     * requests queued on one event loop are not stranded while other loops hold every slot (idle ones included).
     */
    void forceAcquireConnection() {
        connections.incrementAndGet();
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
