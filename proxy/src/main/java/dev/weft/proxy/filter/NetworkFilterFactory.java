package dev.weft.proxy.filter;

import dev.weft.proxy.worker.WorkerContext;
import io.netty.channel.ChannelHandler;

/**
 * A validated network filter config that sits in front of a filter chain's terminal filter (tcp_proxy or the HTTP
 * connection manager), as Envoy's read filters: it makes one handler per connection, which sees the connection's
 * bytes before the terminal filter does and may close it.
 */
@FunctionalInterface
public interface NetworkFilterFactory {

    ChannelHandler create(WorkerContext worker);
}
