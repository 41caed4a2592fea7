package dev.weft.proxy.accesslog;

import io.netty.channel.Channel;

/**
 * A network filter in front of tcp_proxy that hears the proxied connection's life, as Envoy's network filters that
 * are also access loggers (Istio's TCP stats): when its upstream is connected, and when it is over, with what the
 * access log reads. tcp_proxy finds these handlers in its connection's pipeline.
 */
public interface ConnectionLog {

    /**
     * The upstream connection to {@code cluster} is up; called on the downstream connection's event loop.
     * {@code live} reads the connection's counts as they grow, for a log that reports while it lasts.
     */
    void onUpstreamConnected(Channel downstream, String cluster, AccessLogContext live);

    /** The proxied connection ended, however it ended. */
    void onConnectionClosed(Channel downstream, AccessLogContext finished);
}
