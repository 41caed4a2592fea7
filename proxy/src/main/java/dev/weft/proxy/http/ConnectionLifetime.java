package dev.weft.proxy.http;

import dev.weft.proxy.config.Ticker;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A downstream connection's idle timeout and maximum duration (Envoy's {@code common_http_protocol_options}).
 * The idle timer is armed once and re-armed only when it fires, so a busy connection pays one clock read per
 * request, not a timer.
 */
final class ConnectionLifetime {

    /** The codec side of the connection, HTTP/1 or HTTP/2. */
    interface Connection {
        boolean hasActiveRequests();

        /** Closes a connection that carried no request for the idle timeout. */
        void closeIdle();

        /** Ends the connection gracefully: after the current response (HTTP/1) or with GOAWAY (HTTP/2). */
        void drain();
    }

    private final HttpProtocolOptions options;
    private final HttpStats stats;
    private final Ticker ticker;
    private final Connection connection;
    private EventExecutor executor;
    private long idleSinceNanos;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> durationTimer;

    ConnectionLifetime(HttpProtocolOptions options, HttpStats stats, Ticker ticker, Connection connection) {
        this.options = options;
        this.stats = stats;
        this.ticker = ticker;
        this.connection = connection;
    }

    void start(EventExecutor loop) {
        this.executor = loop;
        idleSinceNanos = ticker.nanos();
        long idle = options.idleTimeout().toNanos();
        if (idle > 0) {
            idleTimer = loop.schedule(this::checkIdle, idle, TimeUnit.NANOSECONDS);
        }
        long duration = options.maxConnectionDuration().toNanos();
        if (duration > 0) {
            durationTimer = loop.schedule(this::maxDurationReached, duration, TimeUnit.NANOSECONDS);
        }
    }

    /** The connection has no request in flight any more; its idle time counts from now. */
    void becameIdle() {
        idleSinceNanos = ticker.nanos();
    }

    void stop() {
        cancel(idleTimer);
        cancel(durationTimer);
    }

    private void checkIdle() {
        long idle = options.idleTimeout().toNanos();
        long quiet = ticker.nanos() - idleSinceNanos;
        if (connection.hasActiveRequests() || quiet < idle) {
            long wait = connection.hasActiveRequests() ? idle : idle - quiet;
            idleTimer = executor.schedule(this::checkIdle, wait, TimeUnit.NANOSECONDS);
            return;
        }
        stats.idleConnectionTimeouts.increment();
        connection.closeIdle();
    }

    private void maxDurationReached() {
        stats.maxDurationReached.increment();
        connection.drain();
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
