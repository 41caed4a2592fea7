package dev.weft.proxy.http;

import dev.weft.proxy.config.Ticker;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A downstream connection's idle timeout and maximum duration (Envoy's {@code common_http_protocol_options}),
 * from the moment it is accepted: a client that connects and sends nothing is closed too. Until its codec is known
 * the connection is simply closed; then the codec decides how to end it. The idle timer is armed once and re-armed
 * only when it fires, so a busy connection pays one clock read per request, not a timer.
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
    private Channel channel;
    private Connection connection;
    private long idleSinceNanos;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> durationTimer;

    ConnectionLifetime(HttpProtocolOptions options, HttpStats stats, Ticker ticker) {
        this.options = options;
        this.stats = stats;
        this.ticker = ticker;
    }

    void start(Channel accepted) {
        this.channel = accepted;
        EventLoop loop = accepted.eventLoop();
        idleSinceNanos = ticker.nanos();
        accepted.closeFuture().addListener(f -> stop());
        long idle = options.idleTimeout().toNanos();
        if (idle > 0) {
            idleTimer = loop.schedule(this::checkIdle, idle, TimeUnit.NANOSECONDS);
        }
        long duration = options.maxConnectionDuration().toNanos();
        if (duration > 0) {
            durationTimer = loop.schedule(this::maxDurationReached, duration, TimeUnit.NANOSECONDS);
        }
    }

    /** The codec that now serves the connection. */
    void bind(Connection codec) {
        this.connection = codec;
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
        boolean active = connection != null && connection.hasActiveRequests();
        if (active || quiet < idle) {
            idleTimer = channel.eventLoop().schedule(this::checkIdle, active ? idle : idle - quiet,
                    TimeUnit.NANOSECONDS);
            return;
        }
        stats.idleConnectionTimeouts.increment();
        if (connection != null) {
            connection.closeIdle();
        } else {
            channel.close();
        }
    }

    private void maxDurationReached() {
        stats.maxDurationReached.increment();
        drain();
    }

    /** Ends the connection gracefully now (its codec decides how), or closes it before it has one. */
    void drain() {
        if (connection != null) {
            connection.drain();
        } else {
            channel.close();
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
