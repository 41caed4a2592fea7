package dev.weft.proxy.upstream;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream endpoint and its live state. The state is shared by all event loops, so it is held in atomics
 * and volatiles: active request count (for least-request), outlier ejection and active health.
 */
public final class Host {

    private final EndpointConfig config;
    private final InetSocketAddress address;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger consecutive5xx = new AtomicInteger();
    private final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    private volatile long ejectedUntilNanos;
    private volatile boolean ejected;
    private volatile boolean failedActiveHealthCheck;

    public Host(EndpointConfig config, InetSocketAddress address) {
        this.config = config;
        this.address = address;
    }

    public EndpointConfig config() {
        return config;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** "ip:port", as Envoy prints hosts. */
    public String label() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    public int weight() {
        return config.weight();
    }

    public AtomicInteger activeRequests() {
        return activeRequests;
    }

    AtomicInteger consecutive5xx() {
        return consecutive5xx;
    }

    AtomicInteger consecutiveGatewayFailures() {
        return consecutiveGatewayFailures;
    }

    int ejectionCount() {
        return ejections.get();
    }

    void eject(long untilNanos) {
        ejections.incrementAndGet();
        ejectedUntilNanos = untilNanos;
        ejected = true;
    }

    void uneject() {
        ejected = false;
        consecutive5xx.set(0);
        consecutiveGatewayFailures.set(0);
    }

    long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    public boolean isEjected() {
        return ejected;
    }

    public boolean failedActiveHealthCheck() {
        return failedActiveHealthCheck;
    }

    void setFailedActiveHealthCheck(boolean failed) {
        failedActiveHealthCheck = failed;
    }

    public boolean healthy() {
        return !ejected && !failedActiveHealthCheck;
    }
}
