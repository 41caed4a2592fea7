package dev.weft.proxy.listener;

import dev.weft.proxy.http.HttpServerPipeline;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The open connections of one filter chain, so that a config change that removes or changes the chain can drain
 * them as Envoy does: otherwise a connection keeps the rules it was accepted under for as long as it lives (a
 * plain-text keep-alive connection would outlive a new STRICT PeerAuthentication). HTTP connections end
 * gracefully (connection: close after the current response, or GOAWAY); TCP connections are closed after the
 * drain time.
 */
final class ChainConnections {

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    void add(Channel connection) {
        open.add(connection);
        connection.closeFuture().addListener(f -> open.remove(connection));
    }

    /** Takes over the connections of the chain this one replaces unchanged (a recompile, a rotated secret). */
    void adopt(ChainConnections replaced) {
        replaced.open.forEach(this::add);
    }

    int size() {
        return open.size();
    }

    void drainAll(Duration tcpDrainTime) {
        for (Channel connection : open) {
            connection.eventLoop().execute(() -> {
                Runnable drain = connection.attr(HttpServerPipeline.DRAIN).get();
                if (drain != null) {
                    drain.run();
                } else {
                    connection.eventLoop().schedule(() -> connection.close(), tcpDrainTime.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            });
        }
    }
}
