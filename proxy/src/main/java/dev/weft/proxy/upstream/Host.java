package dev.weft.proxy.upstream;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream endpoint and its live state. The state is shared by all event loops, so it is held in atomics
 * and volatiles: active request count (for least-request), outlier ejection and active health.
 */
public final class Host {

    /** Replaced in place when an update keeps this host with another weight, priority or locality. */
    private volatile EndpointConfig config;
    private final SocketAddress address;
    /** Formatted once: every request's access log and upstream host stats read it. */
    private final String label;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger consecutive5xx = new AtomicInteger();
    private final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    private volatile long ejectedUntilNanos;
    private volatile boolean ejected;
    private volatile boolean failedActiveHealthCheck;

    /** {@code address} is an {@link InetSocketAddress} or, for a pipe endpoint, a {@link UnixDomainSocketAddress}. */
    public Host(EndpointConfig config, SocketAddress address) {
        this.config = config;
        this.address = address;
        this.label = switch (address) {
            case InetSocketAddress ip -> (ip.getAddress() == null ? ip.getHostString() : ip.getAddress().getHostAddress())
                    + ":" + ip.getPort();
            case UnixDomainSocketAddress pipe -> pipe.getPath().toString();
            default -> address.toString();
        };
    }

    public EndpointConfig config() {
        return config;
    }

    void updateConfig(EndpointConfig newConfig) {
        config = newConfig;
    }

    public SocketAddress address() {
        return address;
    }

    /** The TCP port, 0 for a Unix domain socket. */
    public int port() {
        return address instanceof InetSocketAddress ip ? ip.getPort() : 0;
    }

    /** "ip:port", or the socket's path, as Envoy prints hosts. */
    public String label() {
        return label;
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
